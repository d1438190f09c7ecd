package io.geolake.ops.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.geolake.core.config.ConfigException;
import io.geolake.core.config.ConfigLoader;
import io.geolake.core.config.GeolakeConfig;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tokens of an OpenID Connect provider as serve's API users: who is let in, in which role, and why others are not. */
class TestOidcUsers {
  private IdentityProvider provider;
  private OidcUsers users;

  @BeforeEach
  void provider() throws Exception {
    provider = new IdentityProvider();
    users = new OidcUsers(config(provider.issuer()).access(), new OidcProvider(provider.issuer()));
  }

  @AfterEach
  void close() {
    provider.close();
  }

  static GeolakeConfig config(String issuer, String... more) {
    List<String> sets = new java.util.ArrayList<>(List.of(
        "access.oidc.issuer=" + issuer, "access.oidc.audience=" + IdentityProvider.CLIENT_ID, "access.oidc.groups-claim=cognito:groups",
        "access.oidc.roles={data-analysts: analyst, data-engineers: engineer, marketing: analyst}"));
    sets.addAll(List.of(more));
    return ConfigLoader.load(null, sets);
  }

  @Test
  void aProviderSignedTokenSignsTheUserInInTheFirstRoleTheirGroupsMapTo() throws Exception {
    GeolakeConfig.User ana = users.userOf(provider.sign(provider.idToken("ana@example.com", List.of("data-analysts", "staff")).build()));
    assertThat(ana.name()).isEqualTo("ana@example.com");
    assertThat(ana.role()).isEqualTo("analyst");
    // In both groups: engineer comes before analyst in access.roles.
    assertThat(users.userOf(provider.sign(provider.idToken("eve@example.com", List.of("marketing", "data-engineers")).build())).role())
        .isEqualTo("engineer");
    // A Cognito access token: no aud, the client in client_id, no email (the user is its sub).
    JWTClaimsSet access = provider.idToken("bob@example.com", List.of("data-analysts")).audience((String) null).claim("email", null)
        .claim("client_id", IdentityProvider.CLIENT_ID).build();
    assertThat(users.userOf(provider.sign(access)).name()).isEqualTo("sub-bob@example.com");
    // The keys were found through the discovery document once and are cached.
    assertThat(provider.discoveryRequests.get()).isEqualTo(1);
    assertThat(provider.keyRequests.get()).isEqualTo(1);
  }

  @Test
  void tokensNotToBeTrustedAreRefusedWithTheReason() throws Exception {
    JWTClaimsSet.Builder good = provider.idToken("ana@example.com", List.of("data-analysts"));
    refused(() -> users.userOf(provider.sign(good.expirationTime(Date.from(Instant.now().minusSeconds(600))).build())), 401, "Expired JWT");
    refused(() -> users.userOf(provider.sign(provider.idToken("ana@example.com", List.of("data-analysts")).issuer("https://evil.example.com").build())),
        401, "iss");
    refused(() -> users.userOf(provider.sign(provider.idToken("ana@example.com", List.of("data-analysts")).audience("another-app").build())),
        401, "issued for [another-app], not for this server's client geolake-console");
    // Signed by someone else's key, with the provider's key id or one it never published.
    JWTClaimsSet claims = provider.idToken("ana@example.com", List.of("data-analysts")).build();
    refused(() -> users.userOf(IdentityProvider.sign(claims, IdentityProvider.newKey("provider-key-1"))), 401, "Token rejected");
    refused(() -> users.userOf(IdentityProvider.sign(claims, IdentityProvider.newKey("forged"))), 401, "Token rejected");
    // Unsigned, or signed with a shared secret instead of the provider's key.
    refused(() -> users.userOf(new PlainJWT(claims).serialize()), 401, "Token rejected");
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hmac.sign(new MACSigner("a shared secret of at least thirty-two bytes"));
    refused(() -> users.userOf(hmac.serialize()), 401, "Token rejected");
  }

  @Test
  void aUserWhoseGroupsMapToNoRoleIsToldWhichGroupsWouldDo() throws Exception {
    refused(() -> users.userOf(provider.sign(provider.idToken("zoe@example.com", List.of("sales")).build())), 403,
        "User zoe@example.com has no role here: their groups [sales] (claim cognito:groups) map to none in access.oidc.roles [data-analysts, data-engineers, marketing]");
  }

  @Test
  void theConfigNamesWhatIsMissingOrWrong() {
    assertThatThrownBy(() -> ConfigLoader.load(null, List.of("access.oidc.issuer=https://idp.example.com")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'access.oidc.audience'");
    assertThatThrownBy(() -> config("https://idp.example.com", "access.oidc.roles={data-analysts: analysts}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'access.oidc.roles.data-analysts'").hasMessageContaining("got 'analysts'");
    assertThatThrownBy(() -> config("idp.example.com")).isInstanceOf(ConfigException.class).hasMessageContaining("'access.oidc.issuer'");
    assertThatThrownBy(() -> config("https://idp.example.com", "access.oidc.logout-uri=https://idp.example.com/logout?client_id={client_id}&logout_uri={returnTo}"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'access.oidc.logout-uri'").hasMessageContaining("{client_id} and {return_to}");
    assertThat(config("https://idp.example.com", "access.oidc.logout-uri=https://idp.example.com/logout?client_id={client_id}&logout_uri={return_to}")
        .access().oidc().logoutUri()).endsWith("{return_to}");
    assertThat(OidcUsers.looksLikeJwt("glk_" + "x".repeat(43))).isFalse();
  }

  private static void refused(ThrowingCallable call, int status, String reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(ApiError.class, e -> {
      assertThat(e.status).isEqualTo(status);
      assertThat(e.getMessage()).contains(reason);
    });
  }
}
