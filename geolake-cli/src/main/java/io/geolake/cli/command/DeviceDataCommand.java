package io.geolake.cli.command;

import io.geolake.cli.output.TablePrinter;
import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.access.AccessDeniedException;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.features.Pseudonyms;
import io.geolake.pipeline.privacy.DeviceData;
import io.geolake.pipeline.run.RunStore;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code geolake device-data}: everything the lake holds about devices, for a person's request to see their data. */
@Command(
    name = "device-data",
    mixinStandardHelpOptions = true,
    description = {
      "Write everything the lake holds about devices (a person's request to see their data): their rows of",
      "every table, matched as geolake forget matches them, one JSON lines file per table into --out.",
      "Needs a role with personal-data; recorded in the query audit by pseudonym."
    })
public final class DeviceDataCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  @Spec CommandSpec spec;

  @Option(names = "--device-id", required = true, paramLabel = "ID", description = "A device id as delivered (repeatable).")
  List<String> deviceIds;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder (path or URI) for the <layer>.<table>.jsonl files.")
  String out;

  @Option(names = "--role", paramLabel = "ROLE", description = "Role of access.roles to act in (default: access.cli-role).")
  String role;

  @Override
  public Integer call() {
    GeolakeConfig config = common.load();
    String roleName = role == null ? config.access().cliRole() : role;
    GeolakeConfig.Role acting = config.access().role(roleName)
        .orElseThrow(() -> new IllegalArgumentException("Unknown role " + roleName + "; expected one of access.roles"));
    byte[] key = config.features().pseudonymKey().getBytes(StandardCharsets.UTF_8);
    List<String> pseudonyms = deviceIds.stream().map(id -> Pseudonyms.of(key, id)).toList();
    QueryAudit audit = new QueryAudit(new RunStore(config));
    String recorded = "geolake device-data of " + deviceIds.size() + " device(s), pseudonyms " + pseudonyms;
    String user = System.getProperty("user.name");
    if (!acting.personalData()) {
      String reason = "Role " + roleName + " may not read a device's data: that needs personal-data (the admin role has it).";
      audit.refused(user, roleName, "cli", recorded, QueryAudit.Outcome.DENIED, reason);
      throw new AccessDeniedException(reason);
    }
    String auditId = audit.started(user, roleName, "cli", recorded, List.of());
    List<DeviceData.Exported> files;
    try {
      files = new DeviceData(Lakehouse.open(config), config).export(deviceIds, out, f -> {});
    } catch (RuntimeException e) {
      audit.failed(auditId, String.valueOf(e.getMessage()));
      throw e;
    }
    long rows = files.stream().mapToLong(DeviceData.Exported::rows).sum();
    audit.finished(auditId, rows);
    PrintWriter printed = spec.commandLine().getOut();
    TablePrinter table = new TablePrinter(List.of("table", "rows", "file"));
    files.forEach(f -> table.add(List.of(f.table(), String.format("%,d", f.rows()), f.file().toString())));
    if (files.isEmpty()) {
      printed.printf("The lake holds no rows of %d device(s); no file was written.%n", deviceIds.size());
    } else {
      table.print(printed);
      printed.printf("%,d rows of %d device(s) in %d files.%n", rows, deviceIds.size(), files.size());
    }
    printed.flush();
    return 0;
  }
}
