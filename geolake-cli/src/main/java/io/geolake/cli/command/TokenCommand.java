package io.geolake.cli.command;

import io.geolake.core.access.ApiTokens;
import io.geolake.core.config.ConfigException;
import io.geolake.core.config.GeolakeConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake token}: a new API token for a user, and the config entry that grants it. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Make a bearer token for serve's HTTP API and print the access.users entry to add to your config.",
      "The config keeps only the token's SHA-256; the token itself is printed once, here."
    })
public final class TokenCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--user", required = true, paramLabel = "NAME", description = "Who the token is for, as the audit will name them.")
  String user;

  @Option(names = "--role", required = true, paramLabel = "ROLE", description = "A role of access.roles the user acts in.")
  String role;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    if (config.access().role(role).isEmpty()) {
      throw new ConfigException("Unknown role '" + role + "' for --role; roles in access.roles: "
          + config.access().roles().stream().map(GeolakeConfig.Role::name).toList());
    }
    String token = ApiTokens.newToken();
    PrintWriter out = spec.commandLine().getOut();
    out.println("Token for " + user + " (shown once; hand it over like a password):");
    out.println("  " + token);
    out.println("Add this entry to access.users in your config file, then restart geolake serve:");
    out.println("  - {name: " + user + ", role: " + role + ", token-sha256: " + ApiTokens.sha256(token) + "}");
    out.flush();
    return 0;
  }
}
