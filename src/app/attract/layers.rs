//! Slide layers: a slide is drawn once, then moved. What Chromium does
//! with a slideshow (rasterise each slide once, move a layer), done with
//! the frames the window shows: a frame of the attract loop at rest is
//! kept whole (the resting layer), the next slide is drawn once, at rest,
//! into a frame of its own (the incoming layer, kept while the screen
//! still shows the resting one), and each further frame of the transition
//! is made of the two by copying them into the window's image: the
//! resting layer pushed left in the slide area, the incoming one following
//! it, until the incoming layer rests where its slide does and becomes the
//! resting layer. In those frames the UI draws nothing (it draws the
//! screen again at the next frame after) and bevy's copy of the camera's
//! frame to the window, a full-screen pass, is skipped, so a frame of the
//! transition costs a copy of its pixels and presenting them, not shading
//! a slide of text and cards, nor every pixel of the screen twice
//! (docs/PERFORMANCE.md).
//!
//! The main world says each frame what to do with it ([`LayerOrder`]); the
//! render world does it once the frame is in the window's image, and says
//! back whether it keeps a resting layer the screen's size
//! ([`Layers::ready_for`]). Without one (the first transition after a
//! resize, a window whose images take no copies, a test without a
//! renderer) the loop moves its slides as nodes. The window's images take
//! copies because bevy_render is vendored with one line changed
//! (vendor/README.md). The incoming layer goes once its slide is at rest,
//! the resting one as soon as a frame is drawn outside the attract loop.

use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bevy::camera::{CameraOutputMode, NormalizedRenderTarget};
use bevy::core_pipeline::Core2d;
use bevy::core_pipeline::upscaling::upscaling;
use bevy::ecs::system::SystemParam;
use bevy::math::URect;
use bevy::prelude::*;
use bevy::render::camera::ExtractedCamera;
use bevy::render::render_resource::{
    CommandEncoder, Extent3d, Origin3d, PollType, TexelCopyTextureInfo, Texture, TextureAspect,
    TextureDescriptor, TextureDimension, TextureUsages,
};
use bevy::render::renderer::{RenderContext, RenderDevice, ViewQuery};
use bevy::render::view::{ExtractedWindows, ViewTarget};
use bevy::render::{Extract, ExtractSchedule, Render, RenderApp, RenderSystems};
use bevy::ui::{ComputedNode, UiGlobalTransform};
use bevy::window::PrimaryWindow;

/// What the render world does with this frame, once the UI has drawn it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Order {
    /// The attract screen at rest: keep it as the resting layer.
    Rest,
    /// The UI drew the incoming slide at rest: keep the frame as the
    /// incoming layer, and show the resting layer instead.
    Begin { area: URect },
    /// Show the resting layer pushed `shift` pixels left in `area`, the
    /// incoming one following it; the incoming layer everywhere else.
    Move { area: URect, shift: u32 },
    /// The transition's last frame: the incoming layer where it rests,
    /// kept as the resting layer from now on.
    Settle { area: URect },
    /// Slides moved as nodes: the frame is neither kept nor made of
    /// layers, and the layers stay.
    Moving,
}

/// This frame's order; none outside the attract loop, or in a loop whose
/// slides never move (cut, or held by the tour): the layers go.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LayerOrder(pub Option<Order>);

/// The size of the resting layer the render world keeps (0: none), told
/// back to the main world.
#[derive(Resource, Clone, Default)]
pub struct Layers {
    resting: Arc<AtomicU64>,
}

impl Layers {
    /// A resting layer of `size` is kept: a transition can be made of it.
    pub fn ready_for(&self, size: UVec2) -> bool {
        size.cmpgt(UVec2::ZERO).all() && self.resting.load(Ordering::Acquire) == pack(size)
    }

    fn keep(&self, size: Option<UVec2>) {
        self.resting.store(size.map_or(0, pack), Ordering::Release);
    }

    /// As after a frame at rest of `size` was kept (tests without a renderer).
    #[cfg(test)]
    pub fn pretend_ready(&self, size: UVec2) {
        self.keep(Some(size));
    }
}

fn pack(size: UVec2) -> u64 {
    (u64::from(size.x) << 32) | u64::from(size.y)
}

pub(super) fn plugin(app: &mut App) {
    let layers = Layers::default();
    app.insert_resource(layers.clone())
        .init_resource::<LayerOrder>()
        // Each frame says anew what it is.
        .add_systems(First, |mut order: ResMut<LayerOrder>| order.0 = None);
    let Some(render_app) = app.get_sub_app_mut(RenderApp) else {
        return;
    };
    render_app
        .insert_resource(layers)
        .init_resource::<LayerOrder>()
        .init_resource::<Kept>()
        .add_systems(ExtractSchedule, extract_order)
        .add_systems(
            Render,
            (
                skip_window_copy.in_set(RenderSystems::Prepare),
                let_go.in_set(RenderSystems::Cleanup),
            ),
        )
        .add_systems(Core2d, compose.after(upscaling));
}

/// The slide transition's side of the layers, for the attract loop.
#[derive(SystemParam)]
pub struct Compositor<'w, 's> {
    order: ResMut<'w, LayerOrder>,
    layers: Res<'w, Layers>,
    window: Query<'w, 's, &'static Window, With<PrimaryWindow>>,
    nodes: Query<'w, 's, (&'static ComputedNode, &'static UiGlobalTransform)>,
}

impl Compositor<'_, '_> {
    /// This frame shows the attract screen at rest.
    pub fn rest(&mut self) {
        self.order.0 = Some(Order::Rest);
    }

    /// This frame shows slides moved as nodes.
    pub fn moving(&mut self) {
        self.order.0 = Some(Order::Moving);
    }

    /// This frame draws the incoming slide at rest in `area`, to be moved
    /// in by layers; false (nothing asked) if there is no resting layer
    /// the screen's size to move out.
    pub fn begin(&mut self, area: Entity) -> bool {
        self.order_in(area, |area| Order::Begin { area })
    }

    /// This frame shows the transition `eased` of the way in (0 to 1);
    /// false if the screen changed since it began (the loop then moves
    /// its nodes).
    pub fn step(&mut self, area: Entity, eased: f32) -> bool {
        self.order_in(area, |area| Order::Move {
            area,
            shift: (area.width() as f32 * eased.clamp(0.0, 1.0)).round() as u32,
        })
    }

    /// This frame shows the incoming slide at rest, made of its layer;
    /// false if the screen changed since the transition began.
    pub fn settle(&mut self, area: Entity) -> bool {
        self.order_in(area, |area| Order::Settle { area })
    }

    /// Gives `order` for the slide area `area`, if layers can be used.
    fn order_in(&mut self, area: Entity, order: impl FnOnce(URect) -> Order) -> bool {
        let Some(area) = self.area(area) else {
            return false;
        };
        self.order.0 = Some(order(area));
        true
    }

    /// The slide area on screen, in pixels, if a resting layer the
    /// screen's size is kept.
    fn area(&self, area: Entity) -> Option<URect> {
        let screen = self.window.single().ok()?.physical_size();
        if !self.layers.ready_for(screen) {
            return None;
        }
        let (node, at) = self.nodes.get(area).ok()?;
        let min = (at.translation - node.size / 2.0).round().max(Vec2::ZERO);
        let max = (min + node.size.round()).min(screen.as_vec2());
        let rect = URect::from_corners(min.as_uvec2(), max.as_uvec2());
        (!rect.is_empty()).then_some(rect)
    }
}

fn extract_order(order: Extract<Res<LayerOrder>>, mut ours: ResMut<LayerOrder>) {
    *ours = **order;
}

/// The layers the render world keeps (textures; plain sizes in the tests).
#[derive(Resource)]
struct Kept<T = Texture> {
    resting: Option<T>,
    incoming: Option<T>,
}

impl<T> Default for Kept<T> {
    fn default() -> Self {
        Kept {
            resting: None,
            incoming: None,
        }
    }
}

impl<T> Kept<T> {
    /// The resting and the incoming layer, if both are kept and `fit`
    /// the frame: a frame of the transition can be made of them.
    fn both(&self, fits: impl Fn(&T) -> bool) -> Option<(&T, &T)> {
        match (&self.resting, &self.incoming) {
            (Some(resting), Some(incoming)) if fits(resting) && fits(incoming) => {
                Some((resting, incoming))
            }
            _ => None,
        }
    }

    /// The incoming slide rests where its layer was drawn: that layer is
    /// the resting one from now on.
    fn settle(&mut self) {
        if let Some(incoming) = self.incoming.take() {
            self.resting = Some(incoming);
        }
    }
}

/// Outside the attract loop no layer is kept: let go, and freed at once
/// (wgpu frees a texture when it next looks at finished work, and the
/// screen after the loop may draw no further frame for a minute).
fn let_go(
    order: Res<LayerOrder>,
    mut kept: ResMut<Kept>,
    layers: Res<Layers>,
    device: Res<RenderDevice>,
) {
    if order.0.is_none() && (kept.resting.is_some() || kept.incoming.is_some()) {
        *kept = Kept::default();
        layers.keep(None);
        if let Err(error) = device.poll(PollType::Poll) {
            warn!("attract: slide layers not freed yet: {error}");
        }
    }
}

/// wgpu's texture, which bevy wraps without naming it.
type RawTexture = <Texture as Deref>::Target;

/// The window's image this frame, if the window takes copies (bevy's
/// surface, as vendored, asks for them where the driver allows).
fn window_image(windows: &ExtractedWindows) -> Option<&RawTexture> {
    let window = windows.get(&windows.primary?)?;
    let image = &window.swap_chain_texture.as_ref()?.texture;
    let copies = TextureUsages::COPY_SRC | TextureUsages::COPY_DST;
    if image.usage().contains(copies) {
        Some(image)
    } else {
        warn_once!("attract: the window takes no copies; slides moved as nodes");
        None
    }
}

/// A frame made of layers needs nothing of what the camera drew: bevy's
/// copy of it to the window (a full-screen pass, on lavapipe most of such
/// a frame's cost) is skipped, and [`compose`] fills the window instead.
fn skip_window_copy(
    order: Res<LayerOrder>,
    kept: Res<Kept>,
    windows: Res<ExtractedWindows>,
    mut cameras: Query<&mut ExtractedCamera>,
) {
    let (Some(Order::Move { .. } | Order::Settle { .. }), Some(image), Some(window)) =
        (order.0, window_image(&windows), windows.primary)
    else {
        return;
    };
    if kept.both(|layer| fits(layer, image)).is_none() {
        return;
    }
    for mut camera in &mut cameras {
        if matches!(&camera.target, Some(NormalizedRenderTarget::Window(target)) if target.entity() == window)
        {
            camera.output_mode = CameraOutputMode::Skip;
        }
    }
}

fn fits(layer: &RawTexture, image: &RawTexture) -> bool {
    layer.size() == image.size() && layer.format() == image.format()
}

/// Keeps and puts back layers in the window's image, once bevy has
/// copied the camera's frame there (or not, in a frame made of layers).
fn compose(
    view: ViewQuery<&ViewTarget>,
    order: Res<LayerOrder>,
    mut kept: ResMut<Kept>,
    layers: Res<Layers>,
    windows: Res<ExtractedWindows>,
    mut ctx: RenderContext,
) {
    let (Some(order), Some(image)) = (order.0, window_image(&windows)) else {
        return;
    };
    let size = UVec2::new(image.width(), image.height());
    let device = ctx.render_device().clone();
    let encoder = ctx.command_encoder();
    let layer = |slot: &mut Option<Texture>| -> Texture {
        match slot {
            Some(texture) if fits(texture, image) => texture.clone(),
            _ => slot
                .insert(device.create_texture(&TextureDescriptor {
                    label: Some("slide layer"),
                    size: image.size(),
                    mip_level_count: 1,
                    sample_count: 1,
                    dimension: TextureDimension::D2,
                    format: image.format(),
                    usage: TextureUsages::COPY_SRC | TextureUsages::COPY_DST,
                    view_formats: &[],
                }))
                .clone(),
        }
    };
    match order {
        Order::Rest => {
            let resting = layer(&mut kept.resting);
            copy(encoder, image, &resting, Piece::whole(size));
            layers.keep(Some(size));
            // Made again for the next slide: held only while one moves.
            kept.incoming = None;
        }
        Order::Begin { area } => {
            let incoming = layer(&mut kept.incoming);
            copy(encoder, image, &incoming, Piece::whole(size));
            draw(encoder, &kept, &layers, image, size, area, 0);
        }
        Order::Move { area, shift } => {
            draw(encoder, &kept, &layers, image, size, area, shift);
        }
        Order::Settle { area } => {
            if draw(encoder, &kept, &layers, image, size, area, area.width()) {
                kept.settle();
            }
        }
        Order::Moving => {}
    }
    // bevy presents a window only if a pass wrote to it; the copies did.
    // (Asking for the window's attachment is what marks it written.)
    let _ = view.into_inner().out_texture_color_attachment(None);
}

/// The transition's frame `shift` pixels in, made of the two layers in
/// the window's image; false if they are not both kept its size and
/// format (a frame the render world skipped, a screen changed under the
/// transition): the frame is then left as the UI drew it (bevy's copy to
/// the window was not skipped, [`skip_window_copy`]), and the main world
/// told that no layer is ready, so that the loop moves its slides as nodes
/// from the next frame until a frame at rest is kept again.
fn draw(
    encoder: &mut CommandEncoder,
    kept: &Kept,
    layers: &Layers,
    image: &RawTexture,
    size: UVec2,
    area: URect,
    shift: u32,
) -> bool {
    let Some((resting, incoming)) = kept.both(|layer| fits(layer, image)) else {
        warn_once!("attract: a slide transition without its layers; moved as nodes");
        layers.keep(None);
        return false;
    };
    for (from, piece) in pieces(size, area, shift) {
        let layer = match from {
            Layer::Resting => resting,
            Layer::Incoming => incoming,
        };
        copy(encoder, layer, image, piece);
    }
    true
}

/// Which layer a piece of the frame comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    Resting,
    Incoming,
}

/// `size` pixels at `from` in a layer, copied to `to` in the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    pub from: UVec2,
    pub to: UVec2,
    pub size: UVec2,
}

impl Piece {
    fn whole(size: UVec2) -> Piece {
        Piece {
            from: UVec2::ZERO,
            to: UVec2::ZERO,
            size,
        }
    }
}

/// The pieces a frame of `size` is made of, `shift` pixels into a
/// transition in `area`: the incoming layer around the area (the header,
/// the call to action), and in it the resting layer's part still showing,
/// pushed left, then the incoming one's part already in.
pub fn pieces(size: UVec2, area: URect, shift: u32) -> Vec<(Layer, Piece)> {
    let area = URect::from_corners(area.min.min(size), area.max.min(size));
    let shift = shift.min(area.width());
    let (w, h) = (area.width(), area.height());
    let at = |x: u32, y: u32| UVec2::new(x, y);
    let same = |from: UVec2, size: UVec2| Piece {
        from,
        to: from,
        size,
    };
    let around = [
        same(at(0, 0), at(size.x, area.min.y)),
        same(at(0, area.max.y), at(size.x, size.y - area.max.y)),
        same(at(0, area.min.y), at(area.min.x, h)),
        same(at(area.max.x, area.min.y), at(size.x - area.max.x, h)),
    ];
    let resting = Piece {
        from: at(area.min.x + shift, area.min.y),
        to: area.min,
        size: at(w - shift, h),
    };
    let incoming = Piece {
        from: area.min,
        to: at(area.min.x + w - shift, area.min.y),
        size: at(shift, h),
    };
    around
        .into_iter()
        .map(|piece| (Layer::Incoming, piece))
        .chain([(Layer::Resting, resting), (Layer::Incoming, incoming)])
        .filter(|(_, piece)| piece.size.cmpgt(UVec2::ZERO).all())
        .collect()
}

fn copy(encoder: &mut CommandEncoder, from: &RawTexture, to: &RawTexture, piece: Piece) {
    let at = |texture, origin: UVec2| TexelCopyTextureInfo {
        texture,
        mip_level: 0,
        origin: Origin3d {
            x: origin.x,
            y: origin.y,
            z: 0,
        },
        aspect: TextureAspect::All,
    };
    encoder.copy_texture_to_texture(
        at(from, piece.from),
        at(to, piece.to),
        Extent3d {
            width: piece.size.x,
            height: piece.size.y,
            depth_or_array_layers: 1,
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pixel of the frame comes from exactly one piece, and each
    /// piece reads inside its layer.
    fn tiles(size: UVec2, area: URect, shift: u32) -> Vec<(Layer, Piece)> {
        let pieces = pieces(size, area, shift);
        let mut count = vec![0u8; (size.x * size.y) as usize];
        for (_, piece) in &pieces {
            assert!((piece.from + piece.size).cmple(size).all(), "{piece:?}");
            assert!((piece.to + piece.size).cmple(size).all(), "{piece:?}");
            for y in piece.to.y..piece.to.y + piece.size.y {
                for x in piece.to.x..piece.to.x + piece.size.x {
                    count[(y * size.x + x) as usize] += 1;
                }
            }
        }
        assert!(count.iter().all(|n| *n == 1), "{pieces:?}");
        pieces
    }

    #[test]
    fn a_frame_of_a_transition_is_made_of_both_layers_once_each() {
        let size = UVec2::new(108, 192);
        // Portrait: the area the whole width, between header and call.
        let area = URect::new(0, 16, 108, 150);
        for shift in [0, 1, 40, 107, 108, 500] {
            tiles(size, area, shift);
        }
        // An area with room on every side.
        tiles(size, URect::new(10, 20, 90, 170), 33);
    }

    #[test]
    fn the_resting_slide_goes_left_and_the_incoming_one_follows_it() {
        let size = UVec2::new(100, 60);
        let area = URect::new(0, 10, 100, 50);
        let pieces = tiles(size, area, 30);
        let resting: Vec<_> = pieces
            .iter()
            .filter(|(layer, _)| *layer == Layer::Resting)
            .collect();
        // Its columns 30.. show at 0..70.
        assert_eq!(
            resting,
            [&(
                Layer::Resting,
                Piece {
                    from: UVec2::new(30, 10),
                    to: UVec2::new(0, 10),
                    size: UVec2::new(70, 40),
                }
            )]
        );
        // The incoming slide's first 30 columns show at 70..100.
        assert!(pieces.contains(&(
            Layer::Incoming,
            Piece {
                from: UVec2::new(0, 10),
                to: UVec2::new(70, 10),
                size: UVec2::new(30, 40),
            }
        )));
        // At the start the resting slide fills the area; at the end the
        // incoming one, where it will rest.
        assert!(
            tiles(size, area, 0)
                .iter()
                .all(
                    |(layer, piece)| *layer == Layer::Incoming && piece.to.y != 10
                        || *layer == Layer::Resting && piece.size == UVec2::new(100, 40)
                )
        );
        assert!(
            tiles(size, area, 100)
                .iter()
                .all(|(layer, piece)| *layer == Layer::Incoming && piece.from == piece.to)
        );
    }

    #[test]
    fn a_transition_is_made_of_layers_only_while_both_are_kept_the_frame_s_size() {
        let frame = UVec2::new(1080, 1920);
        let fits = |layer: &UVec2| *layer == frame;
        let mut kept = Kept::<UVec2>::default();
        assert_eq!(kept.both(fits), None);
        kept.resting = Some(frame);
        assert_eq!(kept.both(fits), None);
        kept.incoming = Some(UVec2::new(1920, 1080));
        assert_eq!(kept.both(fits), None);
        kept.incoming = Some(frame);
        assert_eq!(kept.both(fits), Some((&frame, &frame)));
    }

    #[test]
    fn a_settled_transition_keeps_a_resting_layer_even_without_an_incoming_one() {
        let mut kept = Kept {
            resting: Some(1),
            incoming: Some(2),
        };
        kept.settle();
        assert_eq!((kept.resting, kept.incoming), (Some(2), None));
        // A second settle (a frame the render world saw twice) loses nothing.
        kept.settle();
        assert_eq!((kept.resting, kept.incoming), (Some(2), None));
    }

    #[test]
    fn a_layer_is_ready_for_its_own_size_only() {
        let layers = Layers::default();
        assert!(!layers.ready_for(UVec2::new(1080, 1920)));
        layers.pretend_ready(UVec2::new(1080, 1920));
        assert!(layers.ready_for(UVec2::new(1080, 1920)));
        assert!(!layers.ready_for(UVec2::new(1920, 1080)));
        layers.keep(None);
        assert!(!layers.ready_for(UVec2::new(1080, 1920)));
        assert!(!layers.ready_for(UVec2::ZERO));
    }
}
