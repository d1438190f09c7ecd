package io.geolake.cli.command;

import io.geolake.core.config.GeolakeConfig;
import io.geolake.pipeline.access.AccessDeniedException;
import io.geolake.pipeline.access.QueryAudit;
import io.geolake.pipeline.privacy.Devices;
import io.geolake.pipeline.run.RunStore;
import java.util.List;

/**
 * A command about named devices (device-data, forget): allowed only to a role that may do it, and
 * recorded in the query audit by the devices' pseudonyms, never their ids — refused, failed or done.
 */
final class DeviceRequest {
  private final QueryAudit audit;
  private final String auditId;

  private DeviceRequest(QueryAudit audit, String auditId) {
    this.audit = audit;
    this.auditId = auditId;
  }

  /**
   * Checks the role and records the request as started; a role that may not is refused (exit 3),
   * and the refusal is recorded too.
   *
   * @param command the command as the audit shows it, e.g. "geolake forget --dry-run"
   * @param action what the role would be doing, e.g. "erase devices"
   * @param needsAnyStatement whether the role needs any-statement besides personal-data
   */
  static DeviceRequest open(GeolakeConfig config, String role, List<String> deviceIds, String command, String action, boolean needsAnyStatement) {
    String roleName = role == null ? config.access().cliRole() : role;
    GeolakeConfig.Role acting = config.access().role(roleName)
        .orElseThrow(() -> new IllegalArgumentException("Unknown role " + roleName + "; expected one of access.roles"));
    Devices devices = Devices.of(deviceIds, config);
    QueryAudit audit = new QueryAudit(new RunStore(config));
    String recorded = command + " of " + devices.ids().size() + " device(s), pseudonyms " + devices.pseudonyms();
    String user = System.getProperty("user.name");
    // Every table of the lake, whole: a role granted some tables, rows or columns would otherwise
    // export or erase what its queries may not read.
    boolean wholeLake = io.geolake.core.schema.Tables.ALL.stream().allMatch(t -> acting.mayQuery(t.qualifiedName()))
        && acting.rowFilters().isEmpty() && acting.columns().isEmpty();
    if (!acting.personalData() || !wholeLake || (needsAnyStatement && !acting.anyStatement())) {
      String reason = "Role " + roleName + " may not " + action + ": that needs a role that reads every table whole (tables ['*'],"
          + " no row filters or column grants) with personal-data"
          + (needsAnyStatement ? " and any-statement (the admin role is one)." : " (the admin role is one).");
      audit.refused(user, roleName, "cli", recorded, QueryAudit.Outcome.DENIED, reason);
      throw new AccessDeniedException(reason);
    }
    return new DeviceRequest(audit, audit.started(user, roleName, "cli", recorded, List.of()));
  }

  void failed(RuntimeException e) {
    audit.failed(auditId, String.valueOf(e.getMessage()));
  }

  void finished(long rows) {
    audit.finished(auditId, rows);
  }

  /** The audit itself, for forget's redaction of the ids. */
  QueryAudit audit() {
    return audit;
  }
}
