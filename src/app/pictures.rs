//! Pictures on screen: news images and the site logo come from the image
//! worker thread (fetched, decoded under limits, downscaled, cached on disk;
//! see `hub::images`), QR codes are drawn here. Screens ask for a picture by
//! URL and size and get a handle once it is ready; meanwhile, or if it never
//! comes, they show a neutral placeholder.

use std::collections::HashMap;

use bevy::asset::RenderAssetUsages;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};

use super::AppSystems;
use super::redraw::RedrawBurst;
use crate::content::QrMatrix;
use crate::hub::images::{ImageLoader, ImageRequest, ImageResult, Picture};

enum Slot {
    Loading,
    Ready(Handle<Image>),
    Failed,
}

/// Pictures asked for, by request; QR codes, by text.
#[derive(Resource)]
pub struct Pictures {
    loader: Option<ImageLoader>,
    slots: HashMap<ImageRequest, Slot>,
    qr_codes: HashMap<String, Option<Handle<Image>>>,
}

/// Changed (in bevy's sense) when a picture arrived: each screen that
/// shows pictures redraws then.
#[derive(Resource, Default)]
pub struct PicturesArrived(pub bool);

impl Pictures {
    /// `loader`: `None` where pictures cannot be fetched (headless tests).
    pub fn new(loader: Option<ImageLoader>) -> Pictures {
        Pictures {
            loader,
            slots: HashMap::new(),
            qr_codes: HashMap::new(),
        }
    }

    /// The picture at `url`, at most `width` × `height` physical pixels;
    /// `None` while it loads or if it cannot be had.
    pub fn get(&mut self, url: &str, width: u32, height: u32) -> Option<Handle<Image>> {
        let request = ImageRequest {
            url: url.to_string(),
            max_width: width,
            max_height: height,
        };
        match self.slots.get(&request) {
            Some(Slot::Ready(handle)) => Some(handle.clone()),
            Some(Slot::Loading | Slot::Failed) => None,
            None => {
                let sent = self
                    .loader
                    .as_ref()
                    .is_some_and(|loader| loader.requests.send(request.clone()).is_ok());
                let slot = if sent { Slot::Loading } else { Slot::Failed };
                self.slots.insert(request, slot);
                None
            }
        }
    }

    /// How many pictures are still on their way.
    pub fn pending(&self) -> usize {
        self.slots
            .values()
            .filter(|slot| matches!(slot, Slot::Loading))
            .count()
    }

    /// A QR code of `text` (sharp at any size); `None` if too long for one.
    pub fn qr(&mut self, text: &str, images: &mut Assets<Image>) -> Option<Handle<Image>> {
        self.qr_codes
            .entry(text.to_string())
            .or_insert_with(|| {
                let matrix = QrMatrix::encode(text)?;
                let (side, rgba) = matrix.to_rgba(1);
                let mut image = rgba_image(side as u32, side as u32, rgba);
                // One pixel a module, scaled up without blurring.
                image.sampler = ImageSampler::nearest();
                Some(images.add(image))
            })
            .clone()
    }
}

pub(super) fn plugin(loader: Option<ImageLoader>) -> impl Plugin {
    let pictures = std::sync::Mutex::new(Some(Pictures::new(loader)));
    move |app: &mut App| {
        let pictures = pictures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .expect("the pictures plugin is added once");
        app.insert_resource(pictures)
            .init_resource::<PicturesArrived>()
            .add_systems(Update, receive_pictures.in_set(AppSystems::Receive));
    }
}

fn receive_pictures(
    mut pictures: ResMut<Pictures>,
    mut images: ResMut<Assets<Image>>,
    mut arrived: ResMut<PicturesArrived>,
    mut burst: ResMut<RedrawBurst>,
) {
    let Some(loader) = &pictures.loader else {
        return;
    };
    let results: Vec<ImageResult> = loader.results.try_iter().collect();
    for result in results {
        let (request, slot) = match result {
            ImageResult::Ready(
                request,
                Picture {
                    width,
                    height,
                    rgba,
                },
            ) => {
                let handle = images.add(rgba_image(width, height, rgba));
                (request, Slot::Ready(handle))
            }
            ImageResult::Failed(request, _) => (request, Slot::Failed),
        };
        pictures.slots.insert(request, slot);
        arrived.0 = true;
        burst.changed();
    }
}

fn rgba_image(width: u32, height: u32, rgba: Vec<u8>) -> Image {
    Image::new(
        Extent3d {
            width,
            height,
            depth_or_array_layers: 1,
        },
        TextureDimension::D2,
        rgba,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    )
}
