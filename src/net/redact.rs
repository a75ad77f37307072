//! URLs as they may be shown: in `/status`, in logs, in the cache's
//! metadata. A feed or config URL can carry credentials (`user:pass@`) or a
//! key in its query (`?api_key=…`); those are replaced by `***`, so a status
//! page or a log shared with a colleague never leaks them.

/// Query parameters whose values are secrets, by name: matched
/// case-insensitively after percent-decoding (`%74oken` is `token` to every
/// server), and a name that contains one of these counts too (`api_key`,
/// `x-token`, `db_password`, `accessToken`).
const SECRET_PARAMS: [&str; 10] = [
    "key",
    "token",
    "secret",
    "pass",
    "pwd",
    "sig",
    "auth",
    "credential",
    "session",
    "access",
];

/// `url` with its userinfo and secret-looking query values replaced by `***`.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (authority_end, _) = rest
        .char_indices()
        .find(|(_, c)| matches!(c, '/' | '?' | '#'))
        .unwrap_or((rest.len(), ' '));
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rsplit_once('@') {
        Some((_, host)) => format!("***@{host}"),
        None => authority.to_string(),
    };
    format!("{scheme}://{authority}{}", redact_query(tail))
}

/// The path, query and fragment with secret query values replaced.
fn redact_query(tail: &str) -> String {
    let Some((path, query)) = tail.split_once('?') else {
        return tail.to_string();
    };
    let (query, fragment) = match query.split_once('#') {
        Some((q, f)) => (q, format!("#{f}")),
        None => (query, String::new()),
    };
    let params: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((name, _)) if is_secret(name) => format!("{name}=***"),
            _ => pair.to_string(),
        })
        .collect();
    format!("{path}?{}{fragment}", params.join("&"))
}

fn is_secret(name: &str) -> bool {
    let name = percent_decoded(name).to_lowercase();
    SECRET_PARAMS.iter().any(|s| name.contains(s))
}

/// `text` with `%XX` escapes and `+` decoded as a server decodes a query
/// name; an escape that is not one is kept as written.
fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `text` (an error message that may quote `url`) with every appearance of
/// `url` replaced by its redacted form.
pub fn redact_in(text: &str, url: &str) -> String {
    if url.is_empty() {
        return text.to_string();
    }
    text.replace(url, &redact_url(url))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_keys_are_hidden_and_the_rest_kept() {
        assert_eq!(
            redact_url("https://user:pa%40ss@feeds.example.cn:8443/rank.json?api_key=abc&month=11#x"),
            "https://***@feeds.example.cn:8443/rank.json?api_key=***&month=11#x"
        );
        assert_eq!(
            redact_url("http://127.0.0.1:8080/feed.json"),
            "http://127.0.0.1:8080/feed.json"
        );
        assert_eq!(
            redact_url("https://h/p?Token=1&sig=2&page=3"),
            "https://h/p?Token=***&sig=***&page=3"
        );
        assert_eq!(redact_url("https://h?password=x"), "https://h?password=***");
        // Names as servers read them: percent-decoded, and the common spellings.
        assert_eq!(
            redact_url("https://h/f?%74oken=1&pwd=2&access=3&pass=4&SESSION_ID=5&accessToken=6&month=11"),
            "https://h/f?%74oken=***&pwd=***&access=***&pass=***&SESSION_ID=***&accessToken=***&month=11"
        );
        assert_eq!(
            redact_url("https://h/f?%6B%65%79=1&k%65y=2&%zz=3"),
            "https://h/f?%6B%65%79=***&k%65y=***&%zz=3"
        );
        assert_eq!(redact_url("/var/lib/feed.json"), "/var/lib/feed.json");
        let message = "error sending request for url (http://u:p@h/f?key=k)";
        assert_eq!(
            redact_in(message, "http://u:p@h/f?key=k"),
            "error sending request for url (http://***@h/f?key=***)"
        );
    }
}
