//! A short, human summary of a `User-Agent` for the confirm page ("Chrome on Windows"): enough for a user to
//! recognise their own browser, nothing more.

/// "Browser on System", or "an unknown browser".
pub(crate) fn summary(user_agent: Option<&str>) -> String {
    let Some(ua) = user_agent else {
        return "an unknown browser".to_owned();
    };
    let browser = [
        ("Edg/", "Edge"),
        ("OPR/", "Opera"),
        ("MicroMessenger", "WeChat"),
        ("Firefox/", "Firefox"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(marker, _)| ua.contains(marker))
    .map_or("a browser", |(_, name)| *name);
    let system = [
        ("Windows", "Windows"),
        ("Android", "Android"),
        ("iPhone", "iOS"),
        ("iPad", "iPadOS"),
        ("Mac OS X", "macOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(marker, _)| ua.contains(marker))
    .map(|(_, name)| *name);
    match system {
        Some(system) => format!("{browser} on {system}"),
        None => browser.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn common_browsers_are_named() {
        let chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(summary(Some(chrome)), "Chrome on Windows");
        let edge = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120 Safari/537.36 Edg/120";
        assert_eq!(summary(Some(edge)), "Edge on macOS");
        assert_eq!(summary(Some("curl/8.0")), "a browser");
        assert_eq!(summary(None), "an unknown browser");
    }
}
