package com.trueftp.admin;

import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKey;

import java.util.List;

/**
 * Keeps each key's API Gateway API key (its usage key) in its account's usage plan. On a deployed stack
 * that is API Gateway state; locally the gateway throttles by the plan the authorizer reports, so there
 * is nothing to keep.
 */
interface EdgeKeys {
    EdgeKeys LOCAL = new EdgeKeys() {
        @Override
        public void register(ApiKey key, Plan plan) {
        }

        @Override
        public void remove(ApiKey key) {
        }

        @Override
        public void moveAll(List<ApiKey> keys, Plan to) {
        }
    };

    void register(ApiKey key, Plan plan);

    void remove(ApiKey key);

    /** Puts each key in the usage plan of {@code to} and in no other. */
    void moveAll(List<ApiKey> keys, Plan to);
}
