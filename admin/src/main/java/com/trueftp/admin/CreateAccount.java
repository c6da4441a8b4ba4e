package com.trueftp.admin;

import com.trueftp.account.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Map;

@Command(name = "create-account", description = "Creates an active account; prints it.")
final class CreateAccount implements AdminCommand {
    @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "free, pro or business")
    private String plan;

    @Option(names = "--name", paramLabel = "NAME", description = "1 to 200 characters (default: ${DEFAULT-VALUE})")
    private String name = "Untitled account";

    @Override
    public Map<String, Object> run(AdminTarget target) {
        Plan chosen = OptionValues.plan(plan);
        return target.accounts().create(OptionValues.name(name), chosen).summary();
    }
}
