package com.trueftp.local;

import com.trueftp.stack.LambdaFunction;

/** A function's handler created as Lambda creates it: by class name, through its public no-arg constructor. */
final class LambdaHandlers {
    private LambdaHandlers() {
    }

    static Object create(LambdaFunction function) {
        try {
            return Class.forName(function.handler()).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create handler " + function.handler(), e);
        }
    }
}
