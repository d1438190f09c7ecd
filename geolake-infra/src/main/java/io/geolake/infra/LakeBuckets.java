package io.geolake.infra;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.constructs.Construct;

/**
 * The three buckets: landing (deliveries, never changed by geolake; EventBridge notified so a
 * complete delivery can start its run), lake (the Iceberg warehouse and the model registry) and
 * artifacts (the cluster jar, the config file, the jobs' logs and the other two's access logs).
 * All private, encrypted and TLS-only; landing and lake outlive the stack.
 */
public final class LakeBuckets extends Construct {

  /** Where S3 server access logs of landing and lake go, under the artifacts bucket. */
  public static final String ACCESS_LOG_PREFIX = "access-logs/";

  private final Bucket landing;
  private final Bucket lake;
  private final Bucket artifacts;

  public LakeBuckets(Construct scope, String id) {
    super(scope, id);
    artifacts = privateBucket("Artifacts", RemovalPolicy.DESTROY).autoDeleteObjects(true).build();
    // Who read or changed deliveries and the lake, kept beside the job logs.
    landing = privateBucket("Landing", RemovalPolicy.RETAIN).eventBridgeEnabled(true)
        .serverAccessLogsBucket(artifacts).serverAccessLogsPrefix(ACCESS_LOG_PREFIX + "landing/").build();
    lake = privateBucket("Lake", RemovalPolicy.RETAIN)
        .serverAccessLogsBucket(artifacts).serverAccessLogsPrefix(ACCESS_LOG_PREFIX + "lake/").build();
  }

  private Bucket.Builder privateBucket(String id, RemovalPolicy removal) {
    return Bucket.Builder.create(this, id)
        .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
        .encryption(BucketEncryption.S3_MANAGED)
        .enforceSsl(true)
        // A killed writer leaves multipart parts behind that nothing else would ever delete.
        .lifecycleRules(List.of(LifecycleRule.builder().abortIncompleteMultipartUploadAfter(Duration.days(7)).build()))
        .removalPolicy(removal);
  }

  public IBucket landing() {
    return landing;
  }

  public IBucket lake() {
    return lake;
  }

  public IBucket artifacts() {
    return artifacts;
  }
}
