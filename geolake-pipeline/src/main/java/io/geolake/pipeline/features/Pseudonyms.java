package io.geolake.pipeline.features;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

/**
 * Device ids in the consumption layer are replaced by a keyed hash (HMAC-SHA-256, hex): stable for
 * joins across days, not reversible without the key ({@code features.pseudonym-key}).
 */
public final class Pseudonyms {
  static final String FUNCTION = "geolake_pseudonym";

  private Pseudonyms() {}

  /** Registers {@code geolake_pseudonym(device_id)} in the session. */
  public static void register(SparkSession spark, String key) {
    if (spark.catalog().functionExists(FUNCTION)) {
      return; // one key per session: it comes from the session's config
    }
    byte[] secret = key.getBytes(StandardCharsets.UTF_8);
    spark.udf().register(FUNCTION, (UDF1<String, String>) id -> id == null ? null : of(secret, id), DataTypes.StringType);
  }

  /** The pseudonym of one device id under the key. */
  public static String of(byte[] secret, String deviceId) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(deviceId.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JRE", e);
    }
  }
}
