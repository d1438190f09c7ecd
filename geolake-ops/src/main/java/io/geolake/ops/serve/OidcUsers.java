package io.geolake.ops.serve;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.geolake.core.config.GeolakeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Users of the HTTP API signed in with an OpenID Connect provider (access.oidc): a bearer token
 * that is a JWT is accepted when the provider signed it (keys from its JWK set, fetched and cached
 * by Nimbus JOSE+JWT, refetched for a key id it has not seen), it was issued by the configured
 * issuer for the configured client, and it has not expired. The user then acts in the first role
 * of access.roles that one of their groups maps to.
 */
final class OidcUsers {
  private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(
      JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256, JWSAlgorithm.ES384);

  private final GeolakeConfig.Oidc oidc;
  private final OidcProvider provider;
  private final List<GeolakeConfig.Role> roles;
  private volatile DefaultJWTProcessor<SecurityContext> processor;

  OidcUsers(GeolakeConfig.Access access, OidcProvider provider) {
    this.oidc = access.oidc();
    this.provider = provider;
    this.roles = access.roles();
  }

  /** Whether a bearer token has the shape of a JWT (three base64url parts), not a geolake token. */
  static boolean looksLikeJwt(String token) {
    return token.matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");
  }

  /** The user a token signs in, in the role its groups give; 401 for a token not to be trusted, 403 for a user without a role. */
  GeolakeConfig.User userOf(String token) {
    JWTClaimsSet claims;
    try {
      claims = processor().process(token, null);
    } catch (ParseException | BadJOSEException | JOSEException e) {
      throw new ApiError(401, "Token rejected: " + e.getMessage() + ". Sign in again with " + oidc.issuer() + ".");
    }
    List<String> audiences = new ArrayList<>(claims.getAudience());
    Object clientId = claims.getClaim("client_id");
    if (!audiences.contains(oidc.audience()) && !oidc.audience().equals(clientId)) {
      throw new ApiError(401, "Token rejected: it was issued for " + (audiences.isEmpty() ? clientId : audiences)
          + ", not for this server's client " + oidc.audience() + " (access.oidc.audience).");
    }
    Object named = claims.getClaim(oidc.userClaim());
    String user = named != null ? named.toString() : claims.getSubject();
    Set<String> groups = groups(claims);
    Optional<GeolakeConfig.Role> role = roles.stream()
        .filter(r -> groups.stream().anyMatch(g -> r.name().equals(oidc.roles().get(g))))
        .findFirst();
    return role.map(r -> new GeolakeConfig.User(user, r.name(), ""))
        .orElseThrow(() -> new ApiError(403, "User " + user + " has no role here: their groups " + groups.stream().sorted().toList()
            + " (claim " + oidc.groupsClaim() + ") map to none in access.oidc.roles " + oidc.roles().keySet().stream().sorted().toList()
            + ". Ask an admin to add you to one of those groups."));
  }

  private Set<String> groups(JWTClaimsSet claims) {
    Object value = claims.getClaim(oidc.groupsClaim());
    Set<String> groups = new HashSet<>();
    if (value instanceof List<?> list) {
      list.stream().filter(Objects::nonNull).map(Object::toString).forEach(groups::add);
    } else if (value instanceof String text) {
      groups.addAll(List.of(text.split("[ ,]+")));
    }
    return groups;
  }

  /** Built on first use, so a provider that is down when serve starts delays only sign-ins. */
  private DefaultJWTProcessor<SecurityContext> processor() {
    DefaultJWTProcessor<SecurityContext> built = processor;
    if (built == null) {
      synchronized (this) {
        if (processor == null) {
          JWKSource<SecurityContext> keys = JWKSourceBuilder.create(jwksUrl()).retrying(true).build();
          DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
          p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
          p.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
          p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
              null, new JWTClaimsSet.Builder().issuer(oidc.issuer()).build(), Set.of("sub", "exp"), null));
          processor = p;
        }
        built = processor;
      }
    }
    return built;
  }

  private URL jwksUrl() {
    try {
      return URI.create(oidc.jwksUri().isBlank() ? provider.endpoint("jwks_uri") : oidc.jwksUri()).toURL();
    } catch (IOException | IllegalArgumentException e) {
      throw new ApiError(503, "Cannot use the identity provider's key set URL (" + e.getMessage() + "); check access.oidc.jwks-uri.");
    }
  }
}
