package com.trueftp.admin;

import java.util.Map;

/** One admin command: picocli fills in its options; it acts on the target and returns the JSON object to print. */
interface AdminCommand {
    Map<String, Object> run(AdminTarget target);
}
