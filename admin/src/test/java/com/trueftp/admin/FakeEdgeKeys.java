package com.trueftp.admin;

import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKey;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** API Gateway's usage plans, in memory: the plan each key's API key is attached to. */
final class FakeEdgeKeys implements EdgeKeys {
    private final Map<String, Plan> planOfKey = new HashMap<>();
    private RuntimeException attachFailure;

    /** From now on attaching a key fails with {@code failure}, as API Gateway can. */
    void failAttaching(RuntimeException failure) {
        attachFailure = failure;
    }

    Optional<Plan> planOf(String keyId) {
        return Optional.ofNullable(planOfKey.get(keyId));
    }

    @Override
    public void register(ApiKey key, Plan plan) {
        if (attachFailure != null) {
            throw attachFailure;
        }
        planOfKey.put(key.id(), plan);
    }

    @Override
    public void remove(ApiKey key) {
        planOfKey.remove(key.id());
    }

    @Override
    public void moveAll(List<ApiKey> keys, Plan to) {
        keys.forEach(key -> planOfKey.put(key.id(), to));
    }
}
