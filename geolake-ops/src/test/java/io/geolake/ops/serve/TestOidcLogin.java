package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.geolake.core.config.GeolakeConfig;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's sign-in through the identity provider (authorization code with PKCE), followed hop by hop as a browser would. */
class TestOidcLogin {
  private static final Pattern STORED_TOKEN = Pattern.compile("sessionStorage.setItem\\('geolake-token', \"([^\"]+)\"\\)");

  private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private IdentityProvider provider;
  private HttpServer serve;
  private OidcUsers users;

  @BeforeEach
  void start() throws Exception {
    serveWith(new IdentityProvider());
  }

  /** serve's sign-in, with this provider. */
  private void serveWith(IdentityProvider identityProvider) throws Exception {
    provider = identityProvider;
    serve(TestOidcUsers.config(provider.issuer()).access(), new OidcProvider(provider.issuer()));
  }

  private void serve(GeolakeConfig.Access access, OidcProvider discovery) throws Exception {
    users = new OidcUsers(access, discovery);
    serve = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    new OidcLogin(access.oidc(), discovery, users).mount(serve);
    serve.start();
  }

  @AfterEach
  void stop() {
    serve.stop(0);
    provider.close();
  }

  @Test
  void signingInThroughTheProviderHandsTheConsoleTheUsersIdToken() throws Exception {
    provider.signsIn("maria@example.com", List.of("data-analysts"));
    HttpResponse<String> login = get(serveUri("/auth/login"));
    assertThat(login.statusCode()).isEqualTo(302);
    String authorize = login.headers().firstValue("Location").orElseThrow();
    assertThat(authorize).startsWith(provider.issuer() + "/authorize?")
        .contains("client_id=" + IdentityProvider.CLIENT_ID, "code_challenge_method=S256", "scope=openid+email+profile")
        .contains("redirect_uri=" + java.net.URLEncoder.encode(serveUri("/auth/callback").toString(), StandardCharsets.UTF_8));

    HttpResponse<String> signedIn = get(URI.create(authorize));
    assertThat(signedIn.statusCode()).isEqualTo(302);
    URI callback = URI.create(signedIn.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> page = get(callback);

    assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
    Matcher stored = STORED_TOKEN.matcher(page.body());
    assertThat(stored.find()).as(page.body()).isTrue();
    GeolakeConfig.User maria = users.userOf(stored.group(1));
    assertThat(maria.name()).isEqualTo("maria@example.com");
    assertThat(maria.role()).isEqualTo("analyst");
    assertThat(provider.tokenRequests.get()).isEqualTo(1);

    // The same answer again (a replay, or a reload) finds no sign-in waiting for it.
    HttpResponse<String> again = get(callback);
    assertThat(again.statusCode()).isEqualTo(400);
    assertThat(again.body()).contains("This sign-in has expired or was not started here.", "/auth/login");
    assertThat(provider.tokenRequests.get()).isEqualTo(1);
  }

  @Test
  void aRefusalOrAUserWithoutARoleEndsOnAPageSayingWhy() throws Exception {
    HttpResponse<String> denied = get(serveUri("/auth/callback?error=access_denied&error_description=" + "User%20cancelled"));
    assertThat(denied.statusCode()).isEqualTo(400);
    assertThat(denied.body()).contains("The identity provider did not sign you in: access_denied (User cancelled).");

    HttpResponse<String> forged = get(serveUri("/auth/callback?code=anything&state=made-up"));
    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(forged.body()).contains("expired or was not started here");

    provider.signsIn("zoe@example.com", List.of("sales"));
    String authorize = get(serveUri("/auth/login")).headers().firstValue("Location").orElseThrow();
    HttpResponse<String> page = get(URI.create(get(URI.create(authorize)).headers().firstValue("Location").orElseThrow()));
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("User zoe@example.com has no role here", "[sales]").doesNotContain("sessionStorage");
  }

  @Test
  void signingOutEndsTheProvidersSessionSoTheNextSignInAsksForThePasswordAgain() throws Exception {
    provider.signsIn("maria@example.com", List.of("data-analysts"));
    String token = signIn();

    HttpResponse<String> logout = get(serveUri("/auth/logout?id_token_hint=" + token));
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(logout.headers().firstValue("Cache-Control")).hasValue("no-store");
    String endSession = logout.headers().firstValue("Location").orElseThrow();
    assertThat(endSession).startsWith(provider.issuer() + "/logout?")
        .contains("id_token_hint=" + token, "client_id=" + IdentityProvider.CLIENT_ID,
            "post_logout_redirect_uri=" + java.net.URLEncoder.encode(serveUri("/").toString(), StandardCharsets.UTF_8));
    HttpResponse<String> ended = get(URI.create(endSession));
    assertThat(ended.statusCode()).isEqualTo(302);
    assertThat(ended.headers().firstValue("Location")).hasValue(serveUri("/").toString());
    assertThat(provider.endedSessions).containsExactly("sub-maria@example.com");

    // Signing in again meets the provider's password page instead of going straight through.
    String authorize = get(serveUri("/auth/login")).headers().firstValue("Location").orElseThrow();
    HttpResponse<String> signInPage = get(URI.create(authorize));
    assertThat(signInPage.statusCode()).isEqualTo(200);
    assertThat(signInPage.body()).contains("Your password, please.");
  }

  @Test
  void aProviderWithoutAnEndSessionEndpointSendsTheBrowserStraightBackToTheConsole() throws Exception {
    stop();
    serveWith(new IdentityProvider(false)); // as Amazon Cognito's discovery document
    provider.signsIn("maria@example.com", List.of("data-analysts"));

    HttpResponse<String> logout = get(serveUri("/auth/logout?id_token_hint=" + signIn()));
    assertThat(logout.statusCode()).isEqualTo(302);
    assertThat(logout.headers().firstValue("Location")).hasValue(serveUri("/").toString());
    assertThat(provider.endedSessions).isEmpty();
  }

  @Test
  void withALogoutUriSigningOutGoesToTheProvidersOwnSignOutAsCognitosHostedUi() throws Exception {
    stop();
    provider = new IdentityProvider(false); // no end_session_endpoint: Cognito signs out at its hosted UI's /logout
    GeolakeConfig.Access access = TestOidcUsers.config(provider.issuer(),
        "access.oidc.logout-uri=" + provider.issuer() + "/hosted-ui/logout?client_id={client_id}&logout_uri={return_to}").access();
    serve(access, new OidcProvider(provider.issuer()));
    provider.signsIn("maria@example.com", List.of("data-analysts"));
    signIn();

    HttpResponse<String> logout = get(serveUri("/auth/logout"));
    assertThat(logout.statusCode()).isEqualTo(302);
    String hostedUi = logout.headers().firstValue("Location").orElseThrow();
    assertThat(hostedUi).isEqualTo(provider.issuer() + "/hosted-ui/logout?client_id=" + IdentityProvider.CLIENT_ID
        + "&logout_uri=" + java.net.URLEncoder.encode(serveUri("/").toString(), StandardCharsets.UTF_8));
    HttpResponse<String> ended = get(URI.create(hostedUi));
    assertThat(ended.headers().firstValue("Location")).hasValue(serveUri("/").toString());
    assertThat(provider.endedSessions).containsExactly(IdentityProvider.CLIENT_ID);
    String authorize = get(serveUri("/auth/login")).headers().firstValue("Location").orElseThrow();
    assertThat(get(URI.create(authorize)).body()).contains("Your password, please.");
  }

  /** Through /auth/login, the provider and /auth/callback: the ID token the page stores. */
  private String signIn() throws Exception {
    String authorize = get(serveUri("/auth/login")).headers().firstValue("Location").orElseThrow();
    HttpResponse<String> page = get(URI.create(get(URI.create(authorize)).headers().firstValue("Location").orElseThrow()));
    Matcher stored = STORED_TOKEN.matcher(page.body());
    assertThat(stored.find()).as(page.body()).isTrue();
    return stored.group(1);
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return browser.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI serveUri(String path) {
    return URI.create("http://127.0.0.1:" + serve.getAddress().getPort() + path);
  }
}
