//! QR codes for links a visitor takes away on their phone (apply URL,
//! article link, booking page). Only the module matrix is made here; the app
//! turns it into an image.

use qrcode::{Color, EcLevel, QrCode};

/// A square of dark (`true`) and light modules, without the quiet zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrMatrix {
    pub width: usize,
    modules: Vec<bool>,
}

impl QrMatrix {
    /// The code for `text`, with medium error correction (a scratched or
    /// glossy screen still scans); `None` if the text is too long for a QR.
    pub fn encode(text: &str) -> Option<QrMatrix> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let width = code.width();
        let modules = code
            .to_colors()
            .into_iter()
            .map(|c| c == Color::Dark)
            .collect();
        Some(QrMatrix { width, modules })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.modules[y * self.width + x]
    }

    /// RGBA pixels, `scale` pixels a module, with the 4-module quiet zone
    /// scanners need, dark on white. Returns (side in pixels, bytes).
    pub fn to_rgba(&self, scale: usize) -> (usize, Vec<u8>) {
        let scale = scale.max(1);
        let side = (self.width + 8) * scale;
        let mut pixels = vec![255u8; side * side * 4];
        for y in 0..self.width {
            for x in 0..self.width {
                if !self.is_dark(x, y) {
                    continue;
                }
                for dy in 0..scale {
                    let row = (y + 4) * scale + dy;
                    let start = (row * side + (x + 4) * scale) * 4;
                    for px in pixels[start..start + scale * 4].chunks_mut(4) {
                        px.copy_from_slice(&[0, 0, 0, 255]);
                    }
                }
            }
        }
        (side, pixels)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_becomes_a_square_code_with_finder_patterns() {
        let qr = QrMatrix::encode("https://lavoro.example.org/offerte/MT-2026-0142").unwrap();
        assert!(
            qr.width >= 21 && (qr.width - 21).is_multiple_of(4),
            "a QR version's width: {}",
            qr.width
        );
        // The three finder patterns: dark 7×7 rings in three corners.
        for (x0, y0) in [(0, 0), (qr.width - 7, 0), (0, qr.width - 7)] {
            for i in 0..7 {
                assert!(
                    qr.is_dark(x0 + i, y0) && qr.is_dark(x0, y0 + i),
                    "finder at ({x0},{y0})"
                );
            }
            assert!(!qr.is_dark(x0 + 1, y0 + 1), "the ring's light inside");
        }
    }

    #[test]
    fn pixels_have_a_quiet_zone_and_scale() {
        let qr = QrMatrix::encode("https://x.example").unwrap();
        let (side, rgba) = qr.to_rgba(3);
        assert_eq!(side, (qr.width + 8) * 3);
        assert_eq!(rgba.len(), side * side * 4);
        let pixel = |x: usize, y: usize| &rgba[(y * side + x) * 4..(y * side + x) * 4 + 4];
        assert_eq!(pixel(0, 0), [255, 255, 255, 255], "quiet zone is white");
        assert_eq!(
            pixel(12, 12),
            [0, 0, 0, 255],
            "top-left finder starts after 4 modules"
        );
        assert_eq!(pixel(11, 11), [255, 255, 255, 255]);
    }

    #[test]
    fn text_too_long_for_a_qr_is_none() {
        assert!(QrMatrix::encode(&"x".repeat(5000)).is_none());
    }
}
