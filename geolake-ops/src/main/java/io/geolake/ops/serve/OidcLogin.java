package io.geolake.ops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.geolake.core.config.GeolakeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The console's sign-in with the identity provider: the OpenID Connect authorization code flow
 * with PKCE. {@code /auth/login} sends the browser to the provider's sign-in page; the provider
 * sends it back to {@code /auth/callback} with a code, which serve exchanges for the user's ID token
 * at the provider's token endpoint (server to server, so no browser CORS is needed). The token is
 * checked like any bearer token ({@link OidcUsers}) and handed to the console page, which keeps it
 * for the tab's session and sends it with every API call. {@code /auth/logout} ends the session at
 * the provider after the console's own sign-out.
 */
final class OidcLogin {
  private static final Duration PENDING_FOR = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final GeolakeConfig.Oidc oidc;
  private final OidcProvider provider;
  private final OidcUsers users;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  /** Sign-ins under way, by state: the PKCE verifier and the callback URL the provider was given. */
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();

  private record Pending(String verifier, String redirectUri, Instant started) {}

  OidcLogin(GeolakeConfig.Oidc oidc, OidcProvider provider, OidcUsers users) {
    this.oidc = oidc;
    this.provider = provider;
    this.users = users;
  }

  void mount(HttpServer server) {
    server.createContext("/auth/login", this::login);
    server.createContext("/auth/callback", this::callback);
    server.createContext("/auth/logout", this::logout);
  }

  /**
   * After the console's own sign-out: ends the user's session at the provider too (OpenID Connect
   * RP-initiated logout) when its discovery document names an end_session_endpoint (Keycloak, Okta,
   * Entra ID), which sends the browser back to the console; to access.oidc.logout-uri when set
   * (Cognito names none, and signs out at its hosted UI's /logout); otherwise straight back. Without it the provider's session outlives the console's, and the next "Sign in" on a
   * shared computer goes through as the last user.
   */
  private void logout(HttpExchange exchange) throws IOException {
    String console = consoleUri(exchange);
    String location = console;
    if (!oidc.logoutUri().isBlank()) { // the provider's own sign-out (Cognito's /logout)
      location = oidc.logoutUri()
          .replace("{client_id}", URLEncoder.encode(oidc.audience(), StandardCharsets.UTF_8))
          .replace("{return_to}", URLEncoder.encode(console, StandardCharsets.UTF_8));
      redirect(exchange, location);
      return;
    }
    try {
      java.util.Optional<String> endSession = provider.optionalEndpoint("end_session_endpoint");
      if (endSession.isPresent()) {
        Map<String, String> params = new LinkedHashMap<>();
        String hint = HttpApi.query(exchange).getOrDefault("id_token_hint", "");
        if (!hint.isBlank()) {
          params.put("id_token_hint", hint);
        }
        params.put("client_id", oidc.audience());
        params.put("post_logout_redirect_uri", console);
        location = endSession.get() + (endSession.get().contains("?") ? "&" : "?") + form(params);
      }
    } catch (ApiError e) {
      // The provider cannot be read now: the console has forgotten the token; say so on the way back.
      page(exchange, e.status, "<p>Signed out of the console, but not of the identity provider: " + escape(e.getMessage())
          + "</p><p><a href=\"/\">Open the console</a>.</p>");
      return;
    }
    redirect(exchange, location);
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  /** The console's own address: access.oidc.redirect-uri's root when set, else the one the browser used. */
  private String consoleUri(HttpExchange exchange) {
    if (!oidc.redirectUri().isBlank()) {
      return URI.create(oidc.redirectUri()).resolve("/").toString();
    }
    return "http://" + exchange.getRequestHeaders().getFirst("Host") + "/";
  }

  private void login(HttpExchange exchange) throws IOException {
    try {
      pending.values().removeIf(p -> p.started().plus(PENDING_FOR).isBefore(Instant.now()));
      String state = random();
      String verifier = random();
      String redirectUri = redirectUri(exchange);
      pending.put(state, new Pending(verifier, redirectUri, Instant.now()));
      Map<String, String> params = new LinkedHashMap<>();
      params.put("response_type", "code");
      params.put("client_id", oidc.audience());
      params.put("redirect_uri", redirectUri);
      params.put("scope", "openid email profile");
      params.put("state", state);
      params.put("code_challenge", challenge(verifier));
      params.put("code_challenge_method", "S256");
      String authorize = provider.endpoint("authorization_endpoint");
      redirect(exchange, authorize + (authorize.contains("?") ? "&" : "?") + form(params));
    } catch (ApiError e) {
      page(exchange, e.status, message(e.getMessage()));
    }
  }

  private void callback(HttpExchange exchange) throws IOException {
    Map<String, String> query = HttpApi.query(exchange);
    if (query.containsKey("error")) {
      page(exchange, 400, message("The identity provider did not sign you in: " + query.get("error")
          + (query.containsKey("error_description") ? " (" + query.get("error_description") + ")" : "") + "."));
      return;
    }
    Pending started = query.containsKey("state") ? pending.remove(query.get("state")) : null;
    if (started == null || started.started().plus(PENDING_FOR).isBefore(Instant.now())) {
      page(exchange, 400, message("This sign-in has expired or was not started here."));
      return;
    }
    try {
      String idToken = exchange(query.getOrDefault("code", ""), started);
      users.userOf(idToken); // refuses, with the reason, a token that is not good or a user without a role
      // The page keeps the token for the tab (as a pasted one) and opens the console.
      String literal = JSON.writeValueAsString(idToken).replace("<", "\\u003c");
      page(exchange, 200, "<script>sessionStorage.setItem('geolake-token', " + literal + "); location.replace('/');</script>"
          + "<p>Signed in. <a href=\"/\">Open the console</a>.</p>");
    } catch (ApiError e) {
      page(exchange, e.status, message(e.getMessage()));
    }
  }

  /** The authorization code for the user's ID token, at the provider's token endpoint. */
  private String exchange(String code, Pending started) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", started.redirectUri());
    form.put("client_id", oidc.audience());
    form.put("code_verifier", started.verifier());
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(provider.endpoint("token_endpoint")))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form(form)));
    if (!oidc.clientSecret().isBlank()) {
      String basic = URLEncoder.encode(oidc.audience(), StandardCharsets.UTF_8) + ":" + URLEncoder.encode(oidc.clientSecret(), StandardCharsets.UTF_8);
      request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body().isBlank() ? "{}" : response.body());
      if (response.statusCode() != 200 || !body.hasNonNull("id_token")) {
        throw new ApiError(502, "The identity provider gave no ID token for the sign-in (HTTP " + response.statusCode() + ": "
            + body.path("error").asText(response.body()) + "). Check access.oidc.audience, client-secret and redirect-uri.");
      }
      return body.get("id_token").asText();
    } catch (IOException e) {
      throw new ApiError(502, "Cannot reach the identity provider's token endpoint: " + e.getMessage() + ".");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiError(503, "Interrupted while signing in.");
    }
  }

  private String redirectUri(HttpExchange exchange) {
    if (!oidc.redirectUri().isBlank()) {
      return oidc.redirectUri();
    }
    return "http://" + exchange.getRequestHeaders().getFirst("Host") + "/auth/callback";
  }

  private static String message(String text) {
    return "<p>" + escape(text) + "</p><p><a href=\"/auth/login\">Sign in again</a> or <a href=\"/\">open the console</a>.</p>";
  }

  private static void page(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    HttpApi.send(exchange, status, "text/html; charset=utf-8",
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>geolake sign-in</title></head><body>" + body + "</body></html>");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  private static String form(Map<String, String> params) {
    return params.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }

  private static String random() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** PKCE's S256: the verifier's SHA-256, base64url. */
  static String challenge(String verifier) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK has SHA-256", e);
    }
  }
}
