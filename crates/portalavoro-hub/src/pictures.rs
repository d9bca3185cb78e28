//! Pictures on their way in: decoded here with limits, scaled down, and
//! encoded anew, so a kiosk never decodes a file as staff sent it.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use crate::db::Media;
use crate::secrets::sha256_hex;

/// The largest upload.
pub const MOST_UPLOAD: usize = 16 * 1024 * 1024;
/// The longest side kept: a portrait totem's height.
pub const MOST_SIDE: u32 = 1920;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("not a PNG or JPEG picture, or a broken one: {0}")]
    Decode(String),
    #[error("the picture is too large to decode ({0})")]
    TooLarge(String),
    #[error("the picture could not be encoded: {0}")]
    Encode(String),
}

pub fn reencode(bytes: &[u8]) -> Result<Media, PictureError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| PictureError::Decode(err.to_string()))?;
    if !matches!(reader.format(), Some(ImageFormat::Png | ImageFormat::Jpeg)) {
        return Err(PictureError::Decode("unknown format".into()));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(12_000);
    limits.max_image_height = Some(12_000);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let picture = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(limit) => PictureError::TooLarge(limit.to_string()),
        other => PictureError::Decode(other.to_string()),
    })?;
    let picture = if picture.width() > MOST_SIDE || picture.height() > MOST_SIDE {
        picture.resize(MOST_SIDE, MOST_SIDE, image::imageops::FilterType::Triangle)
    } else {
        picture
    };
    let (format, extension, content_type, picture) = if picture.color().has_alpha() {
        (
            "png",
            "png",
            "image/png",
            DynamicImage::ImageRgba8(picture.to_rgba8()),
        )
    } else {
        (
            "jpeg",
            "jpg",
            "image/jpeg",
            DynamicImage::ImageRgb8(picture.to_rgb8()),
        )
    };
    let mut out = Cursor::new(Vec::new());
    let result = match format {
        "png" => picture.write_to(&mut out, ImageFormat::Png),
        _ => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&picture)
        }
    };
    result.map_err(|err| PictureError::Encode(err.to_string()))?;
    let bytes = out.into_inner();
    let name = format!("{}.{extension}", &sha256_hex(&bytes)[..24]);
    Ok(Media {
        name,
        content_type: content_type.into(),
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let picture =
            image::RgbImage::from_fn(width, height, |x, y| image::Rgb([x as u8, y as u8, 90]));
        let mut out = Cursor::new(Vec::new());
        picture.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_picture_is_scaled_and_encoded_anew() {
        let media = reencode(&png(3000, 1000)).unwrap();
        assert_eq!(media.content_type, "image/jpeg");
        assert!(media.name.ends_with(".jpg"));
        let back = image::load_from_memory(&media.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (1920, 640));
    }

    #[test]
    fn what_is_not_a_picture_is_refused() {
        assert!(matches!(
            reencode(b"<svg onload=alert(1)>"),
            Err(PictureError::Decode(_))
        ));
        let mut truncated = png(50, 50);
        truncated.truncate(60);
        assert!(reencode(&truncated).is_err());
    }

    #[test]
    fn a_picture_claiming_huge_dimensions_is_refused_before_decoding() {
        // A PNG header announcing 100,000 × 100,000 pixels.
        let mut bytes = png(1, 1);
        bytes[16..20].copy_from_slice(&100_000u32.to_be_bytes());
        bytes[20..24].copy_from_slice(&100_000u32.to_be_bytes());
        let err = reencode(&bytes).unwrap_err();
        assert!(
            matches!(err, PictureError::TooLarge(_) | PictureError::Decode(_)),
            "{err}"
        );
    }
}
