package com.trueftp.admin;

import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.Scope;

import java.util.EnumSet;
import java.util.Set;

/** The rules for option values that are more than text; each breach is a wrong command line. */
final class OptionValues {
    private OptionValues() {
    }

    static Plan plan(String value) {
        return Plan.parse(value).orElseThrow(() ->
                AdminException.usage("--plan must be free, pro or business, got " + value));
    }

    static AccountStatus status(String value) {
        return AccountStatus.parse(value).orElseThrow(() ->
                AdminException.usage("--status must be active or suspended, got " + value));
    }

    static Set<Scope> scopes(String list) {
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String s : list.split(",", -1)) {
            scopes.add(Scope.parse(s.trim()).orElseThrow(() ->
                    AdminException.usage("--scopes must be read, write or read,write, got " + list)));
        }
        return scopes;
    }

    /** An account's or a key's name. */
    static String name(String value) {
        if (value.isBlank() || value.length() > 200) {
            throw AdminException.usage("--name must be 1 to 200 characters");
        }
        return value;
    }

    static long wholeNumber(String option, String value, long min, long max) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw AdminException.usage(option + " must be a whole number from " + min + " to " + max + ", got " + value);
    }
}
