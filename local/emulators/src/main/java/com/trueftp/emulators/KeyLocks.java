package com.trueftp.emulators;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** One lock per key, held while a key is checked and changed; a key's lock goes once nobody holds or waits for it. */
final class KeyLocks {
    private final Map<String, Entry> entries = new HashMap<>();

    /** Released by closing. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    private static final class Entry {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    Held hold(String key) {
        Entry entry;
        synchronized (entries) {
            entry = entries.computeIfAbsent(key, k -> new Entry());
            entry.users++;
        }
        entry.lock.lock();
        return () -> {
            entry.lock.unlock();
            synchronized (entries) {
                if (--entry.users == 0) {
                    entries.remove(key);
                }
            }
        };
    }
}
