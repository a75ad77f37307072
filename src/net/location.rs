//! Where a document is: a local file or a URL. Decided once, here, when the
//! command line or a config names it, instead of by every reader looking for
//! `://` on its own (which is how a path and a URL came to be told apart in
//! four slightly different ways).

use std::fmt;
use std::path::{Path, PathBuf};

/// A local file or a URL, as an operator writes either.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A path (given plainly or as `file://PATH`).
    File(PathBuf),
    /// An `http://` or `https://` URL (any other scheme is refused by the
    /// HTTP client with its own message).
    Url(String),
}

impl Location {
    /// `text` as a location: `file://PATH` and anything without a scheme are
    /// files; anything else with `://` is a URL.
    pub fn parse(text: &str) -> Location {
        match text.strip_prefix("file://") {
            Some(path) => Location::File(PathBuf::from(path)),
            None if text.contains("://") => Location::Url(text.to_string()),
            None => Location::File(PathBuf::from(text)),
        }
    }

    /// The URL, when this is one.
    pub fn url(&self) -> Option<&str> {
        match self {
            Location::Url(url) => Some(url),
            Location::File(_) => None,
        }
    }

    /// The path, when this is a file.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Location::File(path) => Some(path),
            Location::Url(_) => None,
        }
    }
}

impl std::str::FromStr for Location {
    type Err = std::convert::Infallible;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(Location::parse(text))
    }
}

/// As it may be shown in messages and logs: a URL with its credentials hidden.
impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => write!(f, "{}", path.display()),
            Location::Url(url) => f.write_str(&super::redact_url(url)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_and_urls() {
        assert_eq!(Location::parse("feed.json"), Location::File("feed.json".into()));
        assert_eq!(
            Location::parse("/srv/a b.json"),
            Location::File("/srv/a b.json".into())
        );
        assert_eq!(
            Location::parse("file:///srv/f.json"),
            Location::File("/srv/f.json".into())
        );
        assert_eq!(
            Location::parse("https://x/f.json"),
            Location::Url("https://x/f.json".into())
        );
        assert_eq!(Location::parse("ftp://x/f").url(), Some("ftp://x/f"));
    }

    #[test]
    fn shown_without_credentials() {
        let shown = Location::parse("https://user:pw@x/f.json?api_key=s3").to_string();
        assert!(!shown.contains("pw") && !shown.contains("s3"), "{shown}");
    }
}
