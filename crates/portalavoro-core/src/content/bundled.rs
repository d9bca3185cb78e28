//! Pictures that ship with the kiosk, for attract slides: made for this
//! project (see `scripts/make-assets.sh`), each in a portrait and a
//! landscape cut. A playlist names one as `bundled:NAME`; the screen asks
//! for the cut that fits its orientation.

/// The URL scheme of a bundled picture.
pub const SCHEME: &str = portalavoro_contract::BUNDLED_SCHEME;

/// Name, portrait cut, landscape cut.
const PICTURES: &[(&str, &[u8], &[u8])] = &[
    (
        "welcome",
        include_bytes!("../../../../assets/attract/welcome-portrait.jpg"),
        include_bytes!("../../../../assets/attract/welcome-landscape.jpg"),
    ),
    (
        "together",
        include_bytes!("../../../../assets/attract/together-portrait.jpg"),
        include_bytes!("../../../../assets/attract/together-landscape.jpg"),
    ),
];

/// The names a playlist may use.
pub fn names() -> impl Iterator<Item = &'static str> {
    PICTURES.iter().map(|(name, _, _)| *name)
}

pub use portalavoro_contract::is_bundled;

/// `bundled:NAME` → the URL of its cut for the screen's orientation,
/// `bundled:NAME/landscape`; any other URL is returned as it is.
pub fn oriented(url: &str, landscape: bool) -> String {
    if is_bundled(url) {
        let cut = if landscape { "landscape" } else { "portrait" };
        format!("{url}/{cut}")
    } else {
        url.to_string()
    }
}

/// The bytes of `bundled:NAME/CUT` (or of `bundled:NAME`, the portrait cut).
pub fn picture(url: &str) -> Option<&'static [u8]> {
    let rest = url.strip_prefix(SCHEME)?;
    let (name, cut) = rest.split_once('/').unwrap_or((rest, "portrait"));
    let (_, portrait, landscape) = PICTURES.iter().find(|(n, _, _)| *n == name)?;
    match cut {
        "portrait" => Some(portrait),
        "landscape" => Some(landscape),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_picture_decodes_in_both_cuts_with_the_right_shape() {
        for name in names() {
            for landscape in [false, true] {
                let url = oriented(&format!("{SCHEME}{name}"), landscape);
                let bytes = picture(&url).unwrap_or_else(|| panic!("{url}"));
                let image = image::load_from_memory(bytes).unwrap();
                assert_eq!(image.width() > image.height(), landscape, "{url}");
            }
        }
    }

    #[test]
    fn unknown_names_and_cuts_are_none() {
        assert!(picture("bundled:nope/portrait").is_none());
        assert!(picture("bundled:welcome/sideways").is_none());
        assert!(picture("https://hub/welcome").is_none());
        assert_eq!(oriented("https://hub/a.jpg", true), "https://hub/a.jpg");
        assert!(picture("bundled:welcome").is_some(), "portrait by default");
    }
}
