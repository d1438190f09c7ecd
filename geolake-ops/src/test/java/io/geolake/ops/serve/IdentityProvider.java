package io.geolake.ops.serve;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenID Connect provider for tests, as Cognito or Okta publish one: a discovery document and
 * the public half of its signing key (a JWK set) over HTTP, and tokens signed with the private half.
 */
final class IdentityProvider implements AutoCloseable {
  static final String CLIENT_ID = "geolake-console";

  final AtomicInteger discoveryRequests = new AtomicInteger();
  final AtomicInteger keyRequests = new AtomicInteger();
  private final HttpServer server;
  private final RSAKey key;

  IdentityProvider() throws IOException, JOSEException {
    key = newKey("provider-key-1");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/openid-configuration", exchange -> {
      discoveryRequests.incrementAndGet();
      send(exchange, "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/keys\",\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    });
    server.createContext("/keys", exchange -> {
      keyRequests.incrementAndGet();
      send(exchange, new JWKSet(key.toPublicJWK()).toString());
    });
    server.start();
  }

  static RSAKey newKey(String keyId) throws JOSEException {
    return new RSAKeyGenerator(2048).keyID(keyId).generate();
  }

  String issuer() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The claims of an ID token for this server's client, valid for ten minutes. */
  JWTClaimsSet.Builder idToken(String email, List<String> groups) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .subject("sub-" + email)
        .audience(CLIENT_ID)
        .claim("email", email)
        .claim("cognito:groups", groups)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
  }

  /** Signed with the provider's key. */
  String sign(JWTClaimsSet claims) throws JOSEException {
    return sign(claims, key);
  }

  /** Signed with another key, under the same key id or another. */
  static String sign(JWTClaimsSet claims, RSAKey with) throws JOSEException {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
    jwt.sign(new RSASSASigner(with));
    return jwt.serialize();
  }

  private static void send(HttpExchange exchange, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
