package io.geolake.ops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;

/**
 * The identity provider's discovery document ({@code <issuer>/.well-known/openid-configuration}):
 * where its keys, sign-in page and token endpoint are. Read on first use and kept; a provider that
 * cannot be read answers 503 and is tried again on the next request.
 */
final class OidcProvider {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String issuer;
  private volatile JsonNode document;

  OidcProvider(String issuer) {
    this.issuer = issuer.replaceAll("/+$", "");
  }

  /** An endpoint the document names, such as jwks_uri or token_endpoint. */
  String endpoint(String name) {
    String value = document().path(name).asText("");
    if (value.isBlank()) {
      throw new ApiError(503, "The identity provider's discovery document " + discoveryUri() + " names no " + name + ".");
    }
    return value;
  }

  /** An endpoint the document may name, such as end_session_endpoint (Cognito's names none). */
  java.util.Optional<String> optionalEndpoint(String name) {
    String value = document().path(name).asText("");
    return value.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(value);
  }

  private JsonNode document() {
    JsonNode read = document;
    if (read == null) {
      try (InputStream in = discoveryUri().toURL().openStream()) {
        read = JSON.readTree(in);
      } catch (IOException | IllegalArgumentException e) {
        throw new ApiError(503, "Cannot read the identity provider's discovery document " + discoveryUri() + " (" + e.getMessage()
            + "); check access.oidc.issuer.");
      }
      document = read;
    }
    return read;
  }

  private URI discoveryUri() {
    return URI.create(issuer + "/.well-known/openid-configuration");
  }
}
