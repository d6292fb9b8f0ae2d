use super::*;

fn spec(kind: &str) -> WriterSpec {
    WriterSpec {
        kind: kind.into(),
        ..WriterSpec::default()
    }
}

const FILE: &str = r#"
[profiles.local]
kind = "openai"
base_url = "http://127.0.0.1:11434/v1/"
model = "qwen2.5-coder:7b"
temperature = 0.1
timeout_secs = 60

[profiles.claude]
kind = "anthropic"
model = "claude-sonnet-4-5"
api_key_env = "MY_CLAUDE_KEY"

[allow]
openai = ["ft:*"]

[prices]
"qwen*" = { input = 0.5, output = 1.0 }
"#;

#[test]
fn profiles_presets_and_kinds_resolve() {
    let c = Config {
        path: None,
        file: Config::parse(FILE).unwrap(),
    };
    let p = c.resolve(&spec("local")).unwrap();
    assert_eq!(p.kind, ProviderKind::Openai);
    assert_eq!(p.base_url, "http://127.0.0.1:11434/v1");
    assert_eq!(p.timeout, Duration::from_secs(60));
    assert!(!p.requires_key, "a server on this machine needs no key");
    assert!(!p.is_hosted_default());

    let p = c.resolve(&spec("claude")).unwrap();
    assert_eq!(p.base_url, "https://api.anthropic.com");
    assert_eq!(p.api_key_env, "MY_CLAUDE_KEY");
    assert!(p.requires_key && p.is_hosted_default());

    // A bare kind needs a model; overrides come from the spec.
    let err = c.resolve(&spec("gemini")).unwrap_err();
    assert!(err.to_string().contains("--model"), "{err}");
    let mut s = spec("openai");
    s.model = Some("gpt-4o-mini".into());
    s.api_key_env = Some("K".into());
    let p = c.resolve(&s).unwrap();
    assert_eq!(p.api_key_env, "K");
    assert_eq!(p.base_url, "https://api.openai.com/v1");

    let mut s = spec("ollama");
    s.model = Some("llama3.2".into());
    assert!(!c.resolve(&s).unwrap().requires_key);

    let err = c.resolve(&spec("nope")).unwrap_err();
    assert_eq!(err.code(), t2v_core::ErrorCode::Config);
    assert!(err.to_string().contains("local"), "{err}");

    assert_eq!(
        c.extra_allowed(ProviderKind::Openai),
        vec!["ft:*".to_string()]
    );
    assert_eq!(c.prices().price("qwen2.5").unwrap().input, 0.5);
}

#[test]
fn bad_files_name_the_line_but_never_quote_it() {
    let text = "[profiles.x]\nkind = \"openai\"\napi_key = \"sk-secret-1234567890\"\n";
    let err = Config::parse(text).unwrap_err();
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("keys do not belong"), "{err}");
    assert!(!err.contains("sk-secret"), "{err}");
    let err = Config::parse("[profiles.x]\nkind = \"cohere\"\n").unwrap_err();
    assert!(err.contains("line 2"), "{err}");
}

#[test]
fn bad_urls_and_temperatures_are_config_errors() {
    let c = Config::default();
    let mut s = spec("openai");
    s.model = Some("gpt-4o".into());
    s.base_url = Some("ftp://x".into());
    assert!(c.resolve(&s).is_err());
    s.base_url = Some("not a url".into());
    assert!(c.resolve(&s).is_err());
}

#[test]
fn loopback_detection() {
    for (u, local) in [
        ("http://localhost:1234/v1", true),
        ("http://127.0.0.1:8080", true),
        ("http://[::1]:8080", true),
        ("https://api.openai.com/v1", false),
        ("http://192.168.1.5:11434/v1", false),
    ] {
        assert_eq!(is_loopback(&reqwest::Url::parse(u).unwrap()), local, "{u}");
    }
}
