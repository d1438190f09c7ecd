package io.geolake.pipeline.maintenance;

import java.time.Instant;
import java.util.List;

/**
 * What maintenance did to one table (or, in a dry run, would do: nothing is deleted or tagged and
 * the file counts are zero).
 *
 * @param snapshotsBefore snapshots before expiry (counting the compaction's own)
 * @param compactedFiles small data files of settled days rewritten into {@code compactedInto} files
 * @param compactionDeferred not compacted because an unfinished run has a branch of the table
 * @param deletedDataFiles data and delete files only expired snapshots referenced
 * @param deletedMetadataFiles manifests, manifest lists and statistics files of expired snapshots
 * @param orphans files referenced by no snapshot, deleted (or found, in a dry run)
 * @param tagsCreated model-input tags created on the table
 * @param tagsReleased model-input tags removed (or, in a dry run, due): their versions are past
 *     {@code maintenance.model-input-retention} and not live
 * @param expiredBefore snapshots committed before this were eligible for expiry
 * @param retention the rows of days past the table's data-retention deleted (or found); null when
 *     it has none, or when an unfinished run deferred it ({@code compactionDeferred})
 */
public record TableMaintenanceResult(
    String table,
    int snapshotsBefore,
    int snapshotsAfter,
    long compactedFiles,
    long compactedInto,
    boolean compactionDeferred,
    long deletedDataFiles,
    long deletedMetadataFiles,
    List<String> orphans,
    List<String> tagsCreated,
    List<String> tagsReleased,
    Instant expiredBefore,
    Retention retention,
    boolean dryRun) {

  public TableMaintenanceResult {
    orphans = List.copyOf(orphans);
    tagsCreated = List.copyOf(tagsCreated);
    tagsReleased = List.copyOf(tagsReleased);
  }

  /** The rows of days before {@code before} that data retention deleted (or, in a dry run, found). */
  public record Retention(java.time.LocalDate before, long rows) {}

  public int snapshotsExpired() {
    return snapshotsBefore - snapshotsAfter;
  }
}
