//! The technician card: a totem with nothing to show (no hub configured, a
//! hub never reached and no copy kept, a broken file with no valid copy)
//! shows who it is and what is missing, in type read from a metre, with a
//! QR code of the same facts (`portalavoro_core::technician`). Never the
//! demo's invented content. It leaves by itself when content arrives.
//!
//! The addresses are read again every few seconds (DHCP may answer after
//! the kiosk started); the card is drawn again only when a fact changed.

use std::time::Duration;

use bevy::prelude::*;

use super::feed::{Content, Vitals};
use super::screens::{Canvas, Cx, frame, whole_screen};
use super::session::{Mode, Problems};
use super::shared::{AppSystems, KioskConfig};
use super::stale::Drawing;
use super::theme::size;
use portalavoro_core::session::Session;
use portalavoro_core::technician::{Facts, Problem, problems};

/// How often the card looks at the network again.
const LOOK_AGAIN: Duration = Duration::from_secs(5);

#[derive(Component)]
struct CardRoot;

pub(super) fn plugin(app: &mut App) {
    // Before the mode is chosen: the first frame is already the card.
    app.add_systems(
        PreUpdate,
        notice_problems
            .run_if(resource_changed::<Content>)
            .before(super::session::track_visitor),
    )
    .add_systems(
        Update,
        show_card
            .in_set(AppSystems::Render)
            .run_if(in_state(Mode::Technician)),
    );
}

/// A new snapshot (or the first): whether the card is needed, and why.
fn notice_problems(
    content: Res<Content>,
    config: Res<KioskConfig>,
    vitals: Res<Vitals>,
    mut shown: ResMut<Problems>,
) {
    let config_error = vitals
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .config_error
        .clone();
    let now = Problems(problems(&config.0, &content.0, config_error.as_deref()));
    if *shown != now {
        match now.0.first() {
            Some(problem) => warn!(
                "technician card: {}: {}",
                problem.headline().1,
                problem.detail(&config.source)
            ),
            None if !shown.0.is_empty() => info!("content arrived: the technician card goes"),
            None => {}
        }
        *shown = now;
    }
}

fn show_card(
    mut commands: Commands,
    mut canvas: Canvas,
    problems: Res<Problems>,
    roots: Query<Entity, With<CardRoot>>,
    drawing: Drawing,
    mut shown: Local<Option<(Vec<Problem>, Facts)>>,
    mut looked: Local<Option<Duration>>,
) {
    let now = drawing.uptime.now();
    let due = looked.is_none_or(|at| now >= at + LOOK_AGAIN);
    let stale = roots.is_empty() || drawing.stale.technician() || problems.is_changed();
    if !due && !stale {
        return;
    }
    if due {
        *looked = Some(now);
        drawing.wake_after(LOOK_AGAIN);
    }
    let config = &canvas.look.config;
    let facts = Facts::of_this_machine(&config.kiosk_id, env!("CARGO_PKG_VERSION"));
    let seen = (problems.0.clone(), facts);
    if !stale && shown.as_ref() == Some(&seen) {
        return;
    }
    for root in &roots {
        commands.entity(root).despawn();
    }
    let wall = canvas.look.clock.now();
    canvas.draw(&Session::default(), wall, |cx| {
        commands
            .spawn((
                CardRoot,
                Name::new("Technician card"),
                DespawnOnExit(Mode::Technician),
                whole_screen(),
            ))
            .with_children(|root| build(root, cx, &seen.0, &seen.1));
    });
    *shown = Some(seen);
}

/// The card under `root`: what is wrong, who the totem is, the QR code.
fn build(root: &mut ChildSpawnerCommands, cx: &mut Cx, problems: &[Problem], facts: &Facts) {
    let theme = cx.theme;
    let p = theme.palette;
    let source = cx.config.source.clone();
    let qr = facts.qr_text(problems, &source);
    root.spawn(Node {
        width: percent(100),
        height: percent(100),
        flex_direction: FlexDirection::Column,
        row_gap: Val::VMin(size::GAP * 1.5),
        padding: UiRect::all(Val::VMin(size::GAP * 2.0)),
        ..default()
    })
    .with_children(|card| {
        card.spawn(theme.strong(cx.config.site.name.clone(), size::BODY, p.text_muted));
        card.spawn(theme.strong("Chiosco da configurare", size::TITLE, p.text));
        card.spawn(theme.text("Kiosk to set up", size::HEADING, p.text_muted));
        for problem in problems {
            let (italian, english) = problem.headline();
            alert(card, cx, italian, english, problem.detail(&source));
        }
        if let Some(error) = &facts.provisioning_error {
            alert(
                card,
                cx,
                "Impostazioni della partizione PORTALAVORO rifiutate",
                "Settings on the PORTALAVORO partition refused",
                error.clone(),
            );
        }
        // The facts, and beside them the QR code of the same: in one
        // column in portrait; in landscape the network in a second one.
        card.spawn(Node {
            flex_direction: FlexDirection::Row,
            column_gap: Val::VMin(size::GAP * 2.0),
            align_items: AlignItems::FlexStart,
            ..default()
        })
        .with_children(|row| {
            let column = || Node {
                flex_direction: FlexDirection::Column,
                row_gap: Val::VMin(size::GAP),
                flex_grow: 1.0,
                flex_basis: Val::Px(0.0),
                min_width: Val::Px(0.0),
                ..default()
            };
            if cx.landscape {
                row.spawn(column())
                    .with_children(|list| identity(list, cx, facts));
                row.spawn(column())
                    .with_children(|list| network(list, cx, facts));
            } else {
                row.spawn(column()).with_children(|list| {
                    identity(list, cx, facts);
                    network(list, cx, facts);
                });
            }
            // Its own column, so the card keeps its height.
            row.spawn(Node {
                flex_direction: FlexDirection::Column,
                ..default()
            })
            .with_children(|side| {
                frame::qr_card(
                    side,
                    cx,
                    &qr,
                    "Gli stessi dati · The same facts".into(),
                    30.0,
                );
            });
        });
    });
}

/// One fact: its label over its value.
fn fact(list: &mut ChildSpawnerCommands, cx: &Cx, label: String, value: String, size: f32) {
    let theme = cx.theme;
    let p = theme.palette;
    list.spawn(Node {
        flex_direction: FlexDirection::Column,
        ..default()
    })
    .with_children(|line| {
        line.spawn(theme.text(label, size::SMALL, p.text_muted));
        line.spawn(theme.strong(value, size, p.text));
    });
}

/// Who the totem is: its id, serial number and version.
fn identity(list: &mut ChildSpawnerCommands, cx: &Cx, facts: &Facts) {
    let serial = facts.serial.clone().unwrap_or_else(|| "—".into());
    fact(
        list,
        cx,
        "ID chiosco · Kiosk id".into(),
        facts.kiosk_id.clone(),
        size::HEADING,
    );
    fact(
        list,
        cx,
        "Numero di serie · Serial number".into(),
        serial,
        size::HEADING,
    );
    fact(
        list,
        cx,
        "Versione · Version".into(),
        facts.version.clone(),
        size::HEADING,
    );
}

/// Where it is on the network: each interface's addresses and MAC.
fn network(list: &mut ChildSpawnerCommands, cx: &Cx, facts: &Facts) {
    if facts.interfaces.is_empty() {
        let none = "nessuna interfaccia · no interface".to_string();
        fact(list, cx, "Rete · Network".into(), none, size::BODY);
    }
    for interface in &facts.interfaces {
        let mut lines: Vec<String> = interface
            .addresses
            .iter()
            .map(ToString::to_string)
            .collect();
        if lines.is_empty() {
            lines.push("nessun indirizzo · no address".into());
        }
        lines.push(format!("MAC {}", interface.mac.as_deref().unwrap_or("—")));
        let label = format!("Rete {0} · Network {0}", interface.name);
        fact(list, cx, label, lines.join("\n"), size::BODY);
    }
}

/// What is wrong, on red: in Italian large, in English, then the detail.
fn alert(card: &mut ChildSpawnerCommands, cx: &Cx, italian: &str, english: &str, detail: String) {
    let theme = cx.theme;
    let p = theme.palette;
    card.spawn(theme.card_in(p.urgent)).with_children(|block| {
        block.spawn(theme.strong(italian.to_string(), size::HEADING, p.text));
        block.spawn(theme.text(english.to_string(), size::BODY, p.text));
        block.spawn(theme.text(detail, size::BODY, p.text));
    });
}
