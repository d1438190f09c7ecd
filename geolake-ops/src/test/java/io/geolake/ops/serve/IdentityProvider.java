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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.URLDecoder;
import java.net.URLEncoder;

/**
 * An OpenID Connect provider for tests, as Cognito or Okta publish one: a discovery document and
 * the public half of its signing key (a JWK set) over HTTP, tokens signed with the private half, and
 * the authorization code flow with PKCE (a sign-in page that signs in whom the test says, a token endpoint),
 * and an end-session endpoint after which the sign-in page asks for a password again.
 */
final class IdentityProvider implements AutoCloseable {
  static final String CLIENT_ID = "geolake-console";

  final AtomicInteger discoveryRequests = new AtomicInteger();
  final AtomicInteger keyRequests = new AtomicInteger();
  final AtomicInteger tokenRequests = new AtomicInteger();
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  /** Who the sign-in page signs in, and for how long their ID tokens last; null: no session here. */
  private volatile SignIn signingIn;

  private record SignIn(String email, List<String> groups, Duration lifetime) {}

  private record Code(String challenge, String redirectUri, JWTClaimsSet claims) {}
  private final HttpServer server;
  private final RSAKey key;

  /** Whose sessions the end-session endpoint ended (their subjects; the client id at the hosted UI's), in order. */
  final List<String> endedSessions = new java.util.concurrent.CopyOnWriteArrayList<>();

  IdentityProvider() throws IOException, JOSEException {
    this(true);
  }

  /** @param endSession whether the discovery document names an end_session_endpoint (Cognito's does not) */
  IdentityProvider(boolean endSession) throws IOException, JOSEException {
    key = newKey("provider-key-1");
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/.well-known/openid-configuration", exchange -> {
      discoveryRequests.incrementAndGet();
      send(exchange, 200, "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + issuer() + "/keys\",\"authorization_endpoint\":\"" + issuer()
          + "/authorize\",\"token_endpoint\":\"" + issuer() + "/token\","
          + (endSession ? "\"end_session_endpoint\":\"" + issuer() + "/logout\"," : "")
          + "\"id_token_signing_alg_values_supported\":[\"RS256\"]}");
    });
    server.createContext("/logout", this::logout);
    server.createContext("/hosted-ui/logout", this::hostedUiLogout);
    server.createContext("/keys", exchange -> {
      keyRequests.incrementAndGet();
      send(exchange, 200, new JWKSet(key.toPublicJWK()).toString());
    });
    server.createContext("/authorize", this::authorize);
    server.createContext("/token", this::token);
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
    return idToken(email, groups, Duration.ofMinutes(10));
  }

  private JWTClaimsSet.Builder idToken(String email, List<String> groups, Duration lifetime) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(issuer())
        .subject("sub-" + email)
        .audience(CLIENT_ID)
        .claim("email", email)
        .claim("cognito:groups", groups)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plus(lifetime)));
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

  /** Who the provider's sign-in page signs in next (as if they had typed their password). */
  void signsIn(String email, List<String> groups) {
    signsIn(email, groups, Duration.ofMinutes(10));
  }

  /** As {@link #signsIn(String, List)}, with ID tokens that expire {@code lifetime} after each sign-in. */
  void signsIn(String email, List<String> groups, Duration lifetime) {
    signingIn = new SignIn(email, groups, lifetime);
  }

  /**
   * The sign-in page: for this client, with a PKCE S256 challenge, it signs the user in and sends
   * the browser back with a one-time code.
   */
  private void authorize(HttpExchange exchange) throws IOException {
    Map<String, String> q = HttpApi.query(exchange);
    if (!CLIENT_ID.equals(q.get("client_id")) || !"code".equals(q.get("response_type")) || !"S256".equals(q.get("code_challenge_method"))
        || q.get("code_challenge") == null || q.get("redirect_uri") == null || !q.getOrDefault("scope", "").contains("openid")) {
      send(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    SignIn session = signingIn;
    if (session == null) { // no session here: the user would have to type their password
      byte[] page = "<!doctype html><title>Sign in</title><p id=\"password\">Your password, please.</p>".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.sendResponseHeaders(200, page.length);
      exchange.getResponseBody().write(page);
      exchange.close();
      return;
    }
    String code = UUID.randomUUID().toString();
    codes.put(code, new Code(q.get("code_challenge"), q.get("redirect_uri"), idToken(session.email(), session.groups(), session.lifetime()).build()));
    exchange.getResponseHeaders().set("Location", q.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /**
   * The end-session endpoint (RP-initiated logout): for this client, with an ID token hint this
   * provider signed, it ends the session (the next sign-in asks for a password) and sends the
   * browser back to the post-logout URI.
   */
  private void logout(HttpExchange exchange) throws IOException {
    Map<String, String> q = HttpApi.query(exchange);
    String subject;
    try {
      SignedJWT hint = SignedJWT.parse(q.getOrDefault("id_token_hint", ""));
      subject = hint.verify(new com.nimbusds.jose.crypto.RSASSAVerifier(key.toRSAPublicKey())) ? hint.getJWTClaimsSet().getSubject() : null;
    } catch (java.text.ParseException | JOSEException e) {
      subject = null;
    }
    if (subject == null || !CLIENT_ID.equals(q.get("client_id")) || q.get("post_logout_redirect_uri") == null) {
      send(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    endedSessions.add(subject);
    signingIn = null;
    exchange.getResponseHeaders().set("Location", q.get("post_logout_redirect_uri"));
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /**
   * Amazon Cognito's hosted-UI sign-out: {@code /logout?client_id&logout_uri}, no ID token hint. It
   * ends the session (recorded under the client id) and sends the browser to the logout URI.
   */
  private void hostedUiLogout(HttpExchange exchange) throws IOException {
    Map<String, String> q = HttpApi.query(exchange);
    if (!CLIENT_ID.equals(q.get("client_id")) || q.get("logout_uri") == null) {
      send(exchange, 400, "{\"error\":\"invalid_request\"}");
      return;
    }
    endedSessions.add(q.get("client_id"));
    signingIn = null;
    exchange.getResponseHeaders().set("Location", q.get("logout_uri"));
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /** The token endpoint: a code once, for the verifier of its challenge and the same redirect URI. */
  private void token(HttpExchange exchange) throws IOException {
    tokenRequests.incrementAndGet();
    Map<String, String> form = new java.util.HashMap<>();
    for (String pair : new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8).split("&")) {
      String[] kv = pair.split("=", 2);
      form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
    }
    Code issued = codes.remove(form.getOrDefault("code", ""));
    if (issued == null || !"authorization_code".equals(form.get("grant_type")) || !CLIENT_ID.equals(form.get("client_id"))
        || !issued.redirectUri().equals(form.get("redirect_uri")) || !issued.challenge().equals(OidcLogin.challenge(form.getOrDefault("code_verifier", "")))) {
      send(exchange, 400, "{\"error\":\"invalid_grant\"}");
      return;
    }
    try {
      send(exchange, 200, "{\"id_token\":\"" + sign(issued.claims()) + "\",\"access_token\":\"opaque\",\"token_type\":\"Bearer\",\"expires_in\":600}");
    } catch (JOSEException e) {
      throw new IOException(e);
    }
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
