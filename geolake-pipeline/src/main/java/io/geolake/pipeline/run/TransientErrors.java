package io.geolake.pipeline.run;

import io.geolake.core.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;

/**
 * Tells errors worth retrying (storage or catalog hiccups: I/O, S3 throttling, Iceberg commit
 * conflicts) from those that recur (the data or the config is wrong). A retried step starts from
 * its first attempt's snapshots (the run's branch is reset), so even a commit whose outcome is
 * unknown is safe to retry.
 */
public final class TransientErrors {
  /** How throttling and dropped connections read once Spark has turned an executor's error into text. */
  private static final Pattern TRANSIENT_TEXT =
      Pattern.compile(
          "slow ?down|throttl|too many requests|request rate|service unavailable|status code: 50[03]|connection reset"
              + "|broken pipe|timed out|java\\.io\\.\\w*IOException|java\\.net\\.\\w+Exception|CommitFailedException",
          Pattern.CASE_INSENSITIVE);

  private TransientErrors() {}

  public static boolean isTransient(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    if (chain.stream().anyMatch(t -> t instanceof DataException || t instanceof ConfigException || t instanceof RunLockedException)) {
      return false; // the same input fails the same way, whatever I/O error it also caused
    }
    return chain.stream().anyMatch(TransientErrors::isTransientItself);
  }

  private static boolean isTransientItself(Throwable t) {
    if (t instanceof IOException
        || t instanceof UncheckedIOException
        || t instanceof CommitFailedException
        || t instanceof CommitStateUnknownException) {
      return true;
    }
    String type = t.getClass().getName();
    if (type.equals("software.amazon.awssdk.core.exception.SdkClientException") || type.equals("com.amazonaws.SdkClientException")) {
      return true;
    }
    return type.equals("org.apache.spark.SparkException") && t.getMessage() != null && TRANSIENT_TEXT.matcher(t.getMessage()).find();
  }
}
