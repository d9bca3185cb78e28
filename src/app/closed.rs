//! Outside opening hours: a dim screen that says the hub is closed and when
//! it reopens, in every offered language, with the hub's contacts. No clock
//! and nothing that moves: it is redrawn only when what it says changes (a
//! new day turns "tomorrow" into "today") or the window or theme does, and
//! it leaves by itself at opening time (see `session`), woken by the minute.

use bevy::prelude::*;
use jiff::Zoned;

use super::screens::{Canvas, Cx, whole_screen};
use super::session::Mode;
use super::shared::AppSystems;
use super::stale::Drawing;
use super::theme::size;
use portalavoro_core::content::Lang;
use portalavoro_core::hours::Reopening;
use portalavoro_core::session::Session;

#[derive(Component)]
struct ClosedRoot;

pub(super) fn plugin(app: &mut App) {
    app.add_systems(
        Update,
        show_closed
            .in_set(AppSystems::Render)
            .run_if(in_state(Mode::Closed)),
    );
}

fn show_closed(
    mut commands: Commands,
    mut canvas: Canvas,
    roots: Query<Entity, With<ClosedRoot>>,
    drawing: Drawing,
    mut shown: Local<Vec<(String, Option<String>)>>,
) {
    let now = canvas.look.clock.now();
    let local = now.to_zoned(canvas.look.config.display.timezone.clone());
    let session = Session::default();
    let lines = canvas.draw(&session, now, |cx| lines(cx, &local));
    if !roots.is_empty() && !drawing.stale.closed() && *shown == lines {
        return;
    }
    for root in &roots {
        commands.entity(root).despawn();
    }
    canvas.draw(&session, now, |cx| {
        commands
            .spawn((
                ClosedRoot,
                Name::new("Closed"),
                DespawnOnExit(Mode::Closed),
                whole_screen(),
                BackgroundColor(DIM),
                GlobalZIndex(50),
            ))
            .with_children(|root| build(root, cx, &lines));
    });
    *shown = lines;
}

/// A background darker than the kiosk's own: a closed kiosk glows less.
const DIM: Color = Color::srgb(0.0, 0.02, 0.05);

/// "We reopen Monday at 09:00" in `lang`; `None` when no opening is known.
fn reopening_line(cx: &Cx, lang: &Lang, at: &Zoned) -> Option<String> {
    let reopening = cx.config.hours.reopening(at)?;
    let hhmm = |t: jiff::civil::Time| t.strftime("%H:%M").to_string();
    let f = |key: &str, args: &[(&str, &str)]| cx.strings.format(lang, key, args);
    Some(match reopening {
        Reopening::Today(time) => f("reopen_today", &[("time", &hhmm(time))]),
        Reopening::Tomorrow(time) => f("reopen_tomorrow", &[("time", &hhmm(time))]),
        Reopening::Weekday(day, time) => f(
            "reopen_weekday",
            &[
                ("weekday", cx.strings.weekday(lang, day)),
                ("time", &hhmm(time)),
            ],
        ),
        Reopening::Date(date, time) => {
            let date = format!("{} {}", date.day(), cx.strings.month(lang, date.month()));
            f("reopen_date", &[("date", &date), ("time", &hhmm(time))])
        }
    })
}

/// The lines the closed screen shows at `at`: one block per language.
fn lines(cx: &Cx, at: &Zoned) -> Vec<(String, Option<String>)> {
    let mut langs = vec![cx.default_lang.clone()];
    langs.extend(
        cx.config
            .display
            .languages
            .iter()
            .filter(|l| *l != cx.default_lang)
            .cloned(),
    );
    langs
        .iter()
        .map(|lang| {
            (
                cx.strings.get(lang, "closed_title").to_string(),
                reopening_line(cx, lang, at),
            )
        })
        .collect()
}

/// The whole closed screen under `root`.
fn build(root: &mut ChildSpawnerCommands, cx: &mut Cx, lines: &[(String, Option<String>)]) {
    let theme = cx.theme;
    let p = theme.palette;
    root.spawn((Node {
        width: percent(100),
        height: percent(100),
        flex_direction: FlexDirection::Column,
        justify_content: JustifyContent::Center,
        align_items: AlignItems::Center,
        row_gap: Val::VMin(size::GAP * 2.0),
        padding: UiRect::all(Val::VMin(size::GAP * 3.0)),
        ..default()
    },))
        .with_children(|screen| {
            screen.spawn(theme.strong_at(
                cx.config.site.name.clone(),
                size::HEADING,
                p.text_muted,
                Justify::Center,
            ));
            // The kiosk's language large; the others smaller, side by
            // side (two a line in portrait, four in landscape).
            let block = |ui: &mut ChildSpawnerCommands,
                         (title, reopening): &(String, Option<String>),
                         first: bool| {
                ui.spawn(Node {
                    flex_direction: FlexDirection::Column,
                    align_items: AlignItems::Center,
                    row_gap: Val::VMin(size::GAP / 3.0),
                    width: if first { Val::Auto } else { Val::VMin(40.0) },
                    ..default()
                })
                .with_children(|block| {
                    block.spawn(theme.strong_at(
                        title.clone(),
                        if first { size::URGENT } else { size::BODY },
                        p.text_muted,
                        Justify::Center,
                    ));
                    if let Some(line) = reopening {
                        block.spawn(theme.text_at(
                            line.clone(),
                            if first { size::HEADING } else { size::SMALL },
                            p.text_muted,
                            Justify::Center,
                        ));
                    }
                });
            };
            if let Some((first, others)) = lines.split_first() {
                block(screen, first, true);
                screen
                    .spawn(Node {
                        flex_direction: theme.row(),
                        flex_wrap: FlexWrap::Wrap,
                        justify_content: JustifyContent::Center,
                        column_gap: Val::VMin(size::GAP),
                        row_gap: Val::VMin(size::GAP * 1.5),
                        ..default()
                    })
                    .with_children(|grid| {
                        for other in others {
                            block(grid, other, false);
                        }
                    });
            }
            if !cx.config.site.contacts.is_empty() {
                screen
                    .spawn(Node {
                        flex_direction: FlexDirection::Column,
                        align_items: AlignItems::Center,
                        margin: UiRect::top(Val::VMin(size::GAP * 2.0)),
                        ..default()
                    })
                    .with_children(|contacts| {
                        for line in &cx.config.site.contacts {
                            contacts.spawn(theme.text_at(
                                line.clone(),
                                size::BODY,
                                p.text_muted,
                                Justify::Center,
                            ));
                        }
                    });
            }
        });
}
