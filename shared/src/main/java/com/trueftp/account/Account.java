package com.trueftp.account;

import com.trueftp.core.Json;

import java.time.Instant;
import java.util.Map;

/** A customer account with its usage counters. */
public record Account(String id, String name, Plan plan, AccountStatus status, Instant createdAt,
                      long ftpUsersUsed, long storageBytesUsed) {

    /** The fields every view of an account shows. */
    public Map<String, Object> summary() {
        return Json.object("id", id, "name", name, "plan", plan.id(), "status", status.id(),
                "created_at", Json.timestamp(createdAt));
    }
}
