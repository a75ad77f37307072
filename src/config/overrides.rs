//! Command-line overrides: what `rankwall run` and `render` were told that
//! replaces the config's own values. They are applied in one place,
//! [`Overrides::apply`], to the config at start and to every reload, so a
//! reload never undoes what the command line asked for.

use super::convert::{check_bind, ExposedWithoutToken};
use super::settings::{ScreenSize, Settings};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Values given on the command line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Overrides {
    /// `--size`: the panel's size (a plain window, or the offscreen target).
    pub size: Option<ScreenSize>,
    /// `--feed`: the feed URL or file.
    pub feed_url: Option<String>,
    /// `--status-addr`: where the status server listens; `Some(None)` is `off`.
    pub status_addr: Option<Option<SocketAddr>>,
    /// `--cache-dir`: the folder for last good copies and the play log.
    pub cache_dir: Option<PathBuf>,
    /// `--ca-file`: the extra CA certificate for the feed (and a config URL).
    pub ca_file: Option<PathBuf>,
}

impl Overrides {
    /// `settings` with these overrides in force. Fails when the result may
    /// not be run: a status server beyond this machine without a token.
    pub fn apply(&self, mut settings: Settings) -> Result<Settings, ExposedWithoutToken> {
        if let Some(size) = self.size {
            settings.screen.size = size;
        }
        if let Some(url) = &self.feed_url {
            settings.feed.url = Some(url.clone());
        }
        if let Some(addr) = self.status_addr {
            settings.status.addr = addr;
        }
        if let Some(dir) = &self.cache_dir {
            settings.feed.cache_dir = Some(dir.clone());
        }
        if let Some(file) = &self.ca_file {
            settings.feed.ca_file = Some(file.clone());
        }
        if let Some(addr) = &settings.status.addr {
            check_bind(addr, settings.status.token.as_deref())?;
        }
        Ok(settings)
    }
}

/// A status address as the command line gives it: `HOST:PORT` or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatusAddr(pub Option<SocketAddr>);

/// A status address on the command line that is neither `HOST:PORT` nor `off`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("status address `{}` is not HOST:PORT or `off`", super::diagnostic::quoted(.0))]
pub struct BadStatusAddr(pub String);

/// Parses a status address as the command line gives it: `HOST:PORT` or `off`.
pub fn parse_status_addr(text: &str) -> Result<StatusAddr, BadStatusAddr> {
    if text == "off" {
        return Ok(StatusAddr(None));
    }
    text.parse()
        .map(|a| StatusAddr(Some(a)))
        .map_err(|_| BadStatusAddr(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overrides_replace_the_config_and_keep_the_token_rule() {
        let over = Overrides {
            size: ScreenSize::parse("1280x256").ok(),
            feed_url: Some("http://127.0.0.1:1/feed.json".into()),
            status_addr: Some(None),
            cache_dir: Some(PathBuf::from("/tmp/x")),
            ca_file: Some(PathBuf::from("/etc/city-ca.pem")),
        };
        let s = over.apply(Settings::default()).unwrap();
        assert_eq!(s.screen.size, ScreenSize::parse("1280x256").unwrap());
        assert_eq!(s.feed.url.as_deref(), Some("http://127.0.0.1:1/feed.json"));
        assert_eq!(s.status.addr, None);
        assert_eq!(
            s.feed.ca_file.as_deref(),
            Some(std::path::Path::new("/etc/city-ca.pem"))
        );
        let open = Overrides {
            status_addr: Some(parse_status_addr("0.0.0.0:9470").unwrap().0),
            ..Overrides::default()
        };
        assert!(open.apply(Settings::default()).is_err(), "no token, not loopback");
        assert!(parse_status_addr("nine").is_err());
    }
}
