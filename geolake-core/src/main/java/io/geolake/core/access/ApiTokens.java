package io.geolake.core.access;

import io.geolake.core.config.GeolakeConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Bearer tokens of serve's HTTP API. The config keeps only each token's SHA-256, so a leaked
 * config file grants nothing; tokens are 256 random bits, so a plain hash is enough.
 */
public final class ApiTokens {
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /** A new token: "glk_" and 32 random bytes, base64url. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "glk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The hex SHA-256 of a token, as access.users[].token-sha256 keeps it. */
  public static String sha256(String token) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }

  /** The user holding a token, compared in constant time. */
  public static Optional<GeolakeConfig.User> userOf(GeolakeConfig.Access access, String token) {
    byte[] hash = sha256(token).getBytes(StandardCharsets.US_ASCII);
    GeolakeConfig.User found = null;
    for (GeolakeConfig.User user : access.users()) {
      if (MessageDigest.isEqual(hash, user.tokenSha256().getBytes(StandardCharsets.US_ASCII))) {
        found = user;
      }
    }
    return Optional.ofNullable(found);
  }
}
