use chrono::TimeZone;

use super::*;

fn uri(raw: &str) -> Result<RedirectUri, DomainError> {
    RedirectUri::parse("redirectUris", raw)
}

#[test]
fn redirect_uris_follow_rfc_8252_and_rfc_9700() {
    for good in [
        "https://app.example.com/callback",
        "https://app.example.com/cb?tenant=a,b",
        "http://127.0.0.1/callback",
        "http://127.0.0.1:51004/callback",
        "http://[::1]:8080/cb",
        "http://localhost:3000/cb",
        "com.example.app:/callback",
        "com.example.app:/oauth2redirect/example-provider",
    ] {
        assert_eq!(
            uri(good).map(|u| u.as_str().to_owned()),
            Ok(good.to_owned()),
            "{good}"
        );
    }
    for bad in [
        "",
        "/relative/callback",
        "https://app.example.com/cb#frag",
        "https://app.example.com/cb#",
        "https://*.example.com/cb",
        "https://app.example.com/*",
        "http://app.example.com/cb",
        "http://127.0.0.2/cb",
        "http://localhost.example.com/cb",
        "javascript:alert(1)",
        "data:text/html,hi",
        "file:///etc/passwd",
        "myapp:/callback",
        "ftp://example.com/cb",
        "https://user:pw@example.com/cb",
        "https://app.example.com/a b",
    ] {
        let error = uri(bad).expect_err(bad);
        assert!(error.to_string().starts_with("redirectUris: "), "{error}");
    }
}

#[test]
fn https_urls_are_https_only() {
    assert!(HttpsUrl::parse("logoUri", "https://cdn.example.com/logo.png").is_ok());
    for bad in [
        "http://cdn.example.com/logo.png",
        "data:image/png;base64,AA",
        "https://x.example/#a",
    ] {
        let error = HttpsUrl::parse("logoUri", bad).expect_err(bad);
        assert!(error.to_string().starts_with("logoUri: "), "{error}");
    }
}

#[test]
fn lists_are_known_names_in_order_without_repeats() {
    assert_eq!(
        GrantType::parse_list(&["refresh_token", "authorization_code", "refresh_token"]),
        Ok(vec![GrantType::AuthorizationCode, GrantType::RefreshToken])
    );
    assert_eq!(
        GrantType::parse_list(&["urn:ietf:params:oauth:grant-type:device_code"]),
        Ok(vec![GrantType::DeviceCode])
    );
    assert!(GrantType::parse_list(&["password"]).is_err());
    assert!(GrantType::parse_list(&["implicit"]).is_err());
    assert_eq!(
        Scope::parse_list(&["wechat", "openid"]),
        Ok(vec![Scope::Openid, Scope::Wechat])
    );
    assert!(Scope::parse_list(&["admin"]).is_err());
}

#[test]
fn lifetimes_have_bounds_and_defaults() {
    assert_eq!(
        ClientLifetime::default_for(LifetimeOf::AccessToken).seconds(),
        3600
    );
    assert_eq!(
        ClientLifetime::default_for(LifetimeOf::RefreshToken).seconds(),
        30 * 86400
    );
    assert!(ClientLifetime::from_seconds(LifetimeOf::IdToken, 60).is_ok());
    assert!(ClientLifetime::from_seconds(LifetimeOf::IdToken, 59).is_err());
    assert!(ClientLifetime::from_seconds(LifetimeOf::AccessToken, 86401).is_err());
    assert!(ClientLifetime::from_seconds(LifetimeOf::RefreshToken, 365 * 86400).is_ok());
    let error = ClientLifetime::from_seconds(LifetimeOf::RefreshToken, -1).expect_err("negative");
    assert!(error.to_string().starts_with("refreshTokenLifetime: "));
}

#[test]
fn client_ids_are_long_and_url_safe() {
    assert!(ClientId::parse("abcdefghijklmnopqrstuvwx").is_ok());
    assert!(ClientId::parse("short").is_err());
    assert!(ClientId::parse("abcdefghijklmnopqrstuvw/").is_err());
    assert!(ClientName::parse("  Shop ").is_ok_and(|n| n.as_str() == "Shop"));
    assert!(ClientName::parse(" ").is_err());
}

fn client(kind: ClientKind, grants: &[GrantType]) -> OidcClient {
    let now = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("a date");
    OidcClient {
        pool_id: PoolId::parse("0123456789abcdef01234567").expect("pool id"),
        client_id: ClientId::parse("abcdefghijklmnopqrstuvwx").expect("client id"),
        name: ClientName::parse("Shop").expect("name"),
        logo_uri: None,
        kind,
        secret_hash: (kind == ClientKind::Confidential).then(|| SecretHash::from_bytes([7; 32])),
        redirect_uris: vec![uri("https://shop.example.com/cb").expect("uri")],
        post_logout_redirect_uris: Vec::new(),
        grant_types: grants.to_vec(),
        scopes: vec![Scope::Openid],
        access_token_lifetime: ClientLifetime::default_for(LifetimeOf::AccessToken),
        refresh_token_lifetime: ClientLifetime::default_for(LifetimeOf::RefreshToken),
        id_token_lifetime: ClientLifetime::default_for(LifetimeOf::IdToken),
        first_party: false,
        backchannel_logout_uri: None,
        created_at: now,
        updated_at: now,
    }
}

fn field(result: Result<(), DomainError>) -> &'static str {
    match result {
        Err(DomainError::InvalidClient { field, .. }) => field,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_client_is_checked_as_a_whole() {
    use GrantType::*;
    assert_eq!(
        client(
            ClientKind::Confidential,
            &[AuthorizationCode, RefreshToken, ClientCredentials]
        )
        .check(),
        Ok(())
    );
    assert_eq!(
        client(ClientKind::Public, &[AuthorizationCode, RefreshToken]).check(),
        Ok(())
    );
    assert_eq!(
        client(ClientKind::Public, &[DeviceCode, RefreshToken]).check(),
        Ok(())
    );
    assert_eq!(
        field(client(ClientKind::Public, &[ClientCredentials]).check()),
        "grantTypes"
    );
    assert_eq!(
        field(client(ClientKind::Confidential, &[RefreshToken]).check()),
        "grantTypes"
    );
    assert_eq!(
        field(client(ClientKind::Confidential, &[RefreshToken, ClientCredentials]).check()),
        "grantTypes"
    );
    assert_eq!(
        field(client(ClientKind::Confidential, &[]).check()),
        "grantTypes"
    );
    let mut no_uri = client(ClientKind::Confidential, &[AuthorizationCode]);
    no_uri.redirect_uris.clear();
    assert_eq!(field(no_uri.check()), "redirectUris");
    let mut machine = client(ClientKind::Confidential, &[ClientCredentials]);
    machine.redirect_uris.clear();
    assert_eq!(machine.check(), Ok(()));
    let mut public_with_secret = client(ClientKind::Public, &[AuthorizationCode]);
    public_with_secret.secret_hash = Some(SecretHash::from_bytes([1; 32]));
    assert_eq!(field(public_with_secret.check()), "kind");
}
