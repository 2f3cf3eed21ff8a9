/* render/ and app/ui.c without a window: camera round trips and gestures, the software canvas,
 * the draw list's capacity, UTF-8 text editing. */
#include "app/ui/textbox.h"
#include "render/cam.h"
#include "render/canvas.h"
#include "render/draw.h"
#include "tests/test.h"
#include "app/ui/ui.h"
#include <stdlib.h>
#include <string.h>

/* Projection then unprojection on the focal plane recovers a point there; 1e-3 world units is
 * float rounding through a 4x4 perspective matrix with dist ~ 3. */
TEST(cam_project_unproject_round_trip)
{
    Cam c;
    cam_init(&c, 1280, 800);
    cam_home(&c, (vec3s){{0.5f, -0.2f, 0.1f}}, 2.f);
    cam_orbit(&c, 600, 400, 700, 350);
    float sx = 0, sy = 0, depth = 0;
    for (int i = 0; i < 5; i++) {
        float px = 100.f + 200.f * (float)i, py = 80.f + 150.f * (float)i;
        vec3s p = cam_unproject_focal(&c, px, py);
        CHECK(cam_project(&c, p, &sx, &sy, &depth));
        CHECK_NEAR(sx, px, 1e-2);
        CHECK_NEAR(sy, py, 1e-2);
        CHECK_NEAR(depth, c.dist, 1e-3);
    }
}

TEST(cam_points_behind_the_eye_are_culled)
{
    Cam c;
    cam_init(&c, 800, 600);
    cam_home(&c, glms_vec3_zero(), 1.f);
    c.rot = glms_quat_identity();
    float sx, sy;
    /* the eye is at +z dist looking down -z */
    CHECK(!cam_project(&c, (vec3s){{0, 0, c.dist + 1.f}}, &sx, &sy, NULL));
    CHECK(cam_project(&c, (vec3s){{0, 0, 0}}, &sx, &sy, NULL));
    CHECK_NEAR(sx, 400, 1e-3);
    CHECK_NEAR(sy, 300, 1e-3);
    /* y up in the world is y down on screen */
    CHECK(cam_project(&c, (vec3s){{0, 0.5f, 0}}, &sx, &sy, NULL));
    CHECK(sy < 300);
}

TEST(cam_zoom_keeps_the_point_under_the_cursor)
{
    Cam c;
    cam_init(&c, 1000, 700);
    cam_home(&c, glms_vec3_zero(), 1.f);
    for (int two_d = 0; two_d < 2; two_d++) {
        cam_set_2d(&c, two_d);
        vec3s before = cam_unproject_focal(&c, 250, 600);
        float d0 = c.dist;
        cam_zoom_at(&c, 0.5f, 250, 600);
        vec3s after = cam_unproject_focal(&c, 250, 600);
        CHECK_NEAR(c.dist, d0 * 0.5f, 1e-5);
        CHECK_NEAR(glms_vec3_distance(before, after), 0, 1e-4);
    }
}

TEST(cam_pan_moves_the_scene_with_the_mouse)
{
    Cam c;
    cam_init(&c, 1000, 700);
    cam_home(&c, glms_vec3_zero(), 1.f);
    vec3s p = {{0.1f, 0.2f, 0.f}};
    float x0, y0, x1, y1;
    CHECK(cam_project(&c, p, &x0, &y0, NULL));
    cam_pan(&c, 30, -20);
    CHECK(cam_project(&c, p, &x1, &y1, NULL));
    /* exact on the focal plane; p is near it, so within a few percent */
    CHECK_NEAR(x1 - x0, 30, 1.5);
    CHECK_NEAR(y1 - y0, -20, 1.0);
}

TEST(cam_orbit_is_a_rotation_and_reset_undoes_it)
{
    Cam c;
    cam_init(&c, 800, 800);
    cam_home(&c, glms_vec3_zero(), 1.f);
    versors home = c.rot;
    for (int i = 0; i < 200; i++)
        cam_orbit(&c, 400, 400, 430, 390);
    CHECK_NEAR(glms_quat_norm(c.rot), 1, 1e-5);
    /* 2D ignores orbit */
    cam_set_2d(&c, true);
    versors q = c.rot;
    cam_orbit(&c, 100, 100, 300, 300);
    CHECK(memcmp(&q, &c.rot, sizeof q) == 0);
    cam_reset(&c);
    CHECK(memcmp(&home, &c.rot, sizeof home) == 0);
}

/* Framing within a free rectangle (the window less its panels): the centre is drawn at the
 * rectangle's centre and a sphere's extreme points, up and right of the centre in screen
 * terms, stay inside it, turned or not, in 3D and 2D. */
TEST(cam_fit_rect_frames_inside_the_rectangle)
{
    Cam c;
    cam_init(&c, 1280, 800);
    cam_home(&c, glms_vec3_zero(), 1.f);
    cam_orbit(&c, 600, 400, 700, 350);
    const float rx = 290, ry = 60, rw = 660, rh = 700, r = 0.4f;
    vec3s centre = {{0.3f, -0.2f, 0.5f}};
    for (int two_d = 0; two_d < 2; two_d++) {
        cam_set_2d(&c, two_d);
        cam_fit_rect(&c, centre, r, rx, ry, rw, rh);
        float sx, sy;
        CHECK(cam_project(&c, centre, &sx, &sy, NULL));
        CHECK_NEAR(sx, rx + rw / 2, 0.5);
        CHECK_NEAR(sy, ry + rh / 2, 0.5);
        vec3s dirs[4] = {cam_right(&c), cam_up(&c), glms_vec3_negate(cam_right(&c)),
                         glms_vec3_negate(cam_up(&c))};
        for (int j = 0; j < 4; j++) {
            CHECK(cam_project(&c, glms_vec3_add(centre, glms_vec3_scale(dirs[j], r)), &sx, &sy, NULL));
            CHECK(sx > rx && sx < rx + rw && sy > ry && sy < ry + rh);
        }
        /* it fills most of the narrower side: the radius is drawn over at least 40% of half of it */
        CHECK(cam_project(&c, glms_vec3_add(centre, glms_vec3_scale(cam_right(&c), r)), &sx, &sy, NULL));
        CHECK(sx - (rx + rw / 2) > 0.4f * rw / 2);
    }
    /* an empty rectangle falls back to the whole window */
    cam_fit_rect(&c, centre, r, 0, 0, 0, 0);
    float sx, sy;
    CHECK(cam_project(&c, centre, &sx, &sy, NULL));
    CHECK_NEAR(sx, 640, 0.5);
    CHECK_NEAR(sy, 400, 0.5);
}

static uint32_t px_at(const Canvas *c, int x, int y) { return c->px[y * c->pitch + x] & 0xFFFFFF; }

TEST(canvas_rect_clip_and_blend)
{
    uint32_t buf[64 * 32];
    Canvas c = {.px = buf, .w = 64, .h = 32, .pitch = 64};
    canvas_clip(&c, 0, 0, -1, -1);
    canvas_clear(&c, DRAW_RGB(0, 0, 0));
    canvas_rect(&c, 10, 5, 8, 4, DRAW_RGB(255, 0, 0));
    CHECK(px_at(&c, 10, 5) == 0xFF0000);
    CHECK(px_at(&c, 17, 8) == 0xFF0000);
    CHECK(px_at(&c, 18, 8) == 0);
    CHECK(px_at(&c, 9, 5) == 0);
    canvas_rect(&c, 10, 5, 8, 4, DRAW_RGBA(0, 0, 255, 128));
    uint32_t p = px_at(&c, 12, 6);
    /* half red, half blue: 127..128 per channel from the 8-bit blend */
    CHECK((p >> 16) >= 126 && (p >> 16) <= 129 && (p & 255) >= 126 && (p & 255) <= 129);
    canvas_clip(&c, 0, 0, 20, 20);
    canvas_rect(&c, 0, 0, 64, 32, DRAW_RGB(0, 255, 0));
    CHECK(px_at(&c, 19, 19) == 0x00FF00);
    CHECK(px_at(&c, 20, 19) == 0);
    CHECK(px_at(&c, 19, 20) == 0);
    /* far out-of-range shapes are clipped, not written out of bounds (ASan checks this) */
    canvas_clip(&c, 0, 0, -1, -1);
    canvas_line(&c, -1e6f, -1e6f, 1e6f, 1e6f, 3, DRAW_RGB(9, 9, 9));
    canvas_disc(&c, -50, 2000, 4, DRAW_RGB(9, 9, 9));
    canvas_arrow(&c, 1e5f, 3, -1e5f, 3, 2, DRAW_RGB(9, 9, 9));
    canvas_circle(&c, 70, -10, 30, DRAW_RGB(9, 9, 9));
}

TEST(canvas_line_covers_its_pixels_with_antialiasing)
{
    uint32_t buf[40 * 40];
    Canvas c = {.px = buf, .w = 40, .h = 40, .pitch = 40};
    canvas_clip(&c, 0, 0, -1, -1);
    canvas_clear(&c, 0);
    canvas_line(&c, 5, 10.5f, 35, 10.5f, 1, DRAW_RGB(255, 255, 255));
    CHECK(px_at(&c, 20, 10) == 0xFFFFFF);
    CHECK(px_at(&c, 20, 9) == 0 && px_at(&c, 20, 11) == 0);
    canvas_clear(&c, 0);
    canvas_line(&c, 5, 5, 35, 35, 1.5f, DRAW_RGB(255, 255, 255));
    int lit = 0, partial = 0;
    for (int i = 0; i < 40 * 40; i++) {
        uint32_t g = (buf[i] >> 8) & 255;
        lit += g > 0;
        partial += g > 0 && g < 250;
    }
    /* a 30-pixel diagonal of width 1.5: ~60 touched pixels, some of them partially */
    CHECKF(lit > 40 && lit < 140, "lit %d", lit);
    CHECK(partial > 10);
}

TEST(draw_list_truncates_and_counts)
{
    DrawList *d = malloc(sizeof *d);
    CHECK(d);
    draw_clear(d);
    for (int i = 0; i < DRAW_MAX_CMDS + 10; i++)
        draw_rect(d, 0, 0, 1, 1, 0);
    CHECK(d->ncmds == DRAW_MAX_CMDS);
    CHECK(d->dropped == 10);
    draw_clear(d);
    draw_text(d, 0, 1, 2, "hello kitten", 12, 0);
    CHECK(draw_has_text(d, "kitten"));
    CHECK(!draw_has_text(d, "puppy"));
    free(d);
}

static int fixed_width(void *ctx, int font, const char *s, size_t len)
{
    (void)ctx;
    (void)font;
    (void)s;
    return 7 * (int)len;
}

TEST(ui_textbox_edits_utf8_and_submits)
{
    DrawList *d = malloc(sizeof *d);
    CHECK(d);
    Ui ui;
    ui_init(&ui, d, fixed_width, NULL, 16);
    char buf[16] = "";
    UiInput in = {0};
    /* click into the box, type "caf\xc3\xa9" (cafe with e-acute) */
    in.mx = 20;
    in.my = 10;
    in.pressed[0] = true;
    draw_clear(d);
    ui_begin(&ui, &in);
    ui_textbox(&ui, "box", buf, sizeof buf, 0, 0, 200, "hint");
    ui_end(&ui);
    CHECK(ui.focus == ui_id("box", 0));
    memset(&in, 0, sizeof in);
    strcpy(in.text, "caf\xc3\xa9");
    in.text_len = strlen(in.text);
    draw_clear(d);
    ui_begin(&ui, &in);
    int r = ui_textbox(&ui, "box", buf, sizeof buf, 0, 0, 200, "hint");
    ui_end(&ui);
    CHECK(r & UI_CHANGED);
    CHECK(!strcmp(buf, "caf\xc3\xa9"));
    CHECK(draw_has_text(d, "caf"));
    /* one backspace removes the whole two-byte character */
    memset(&in, 0, sizeof in);
    in.keys[in.nkeys++] = UI_KEY_BACKSPACE;
    draw_clear(d);
    ui_begin(&ui, &in);
    ui_textbox(&ui, "box", buf, sizeof buf, 0, 0, 200, "hint");
    ui_end(&ui);
    CHECK(!strcmp(buf, "caf"));
    /* text beyond the capacity is truncated, never split mid-character */
    memset(&in, 0, sizeof in);
    strcpy(in.text, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
    in.text_len = strlen(in.text);
    in.keys[in.nkeys++] = UI_KEY_ENTER;
    draw_clear(d);
    ui_begin(&ui, &in);
    r = ui_textbox(&ui, "box", buf, sizeof buf, 0, 0, 200, "hint");
    ui_end(&ui);
    CHECK(r & UI_SUBMITTED);
    CHECK(strlen(buf) < sizeof buf);
    CHECK(strlen(buf) % 2 == 1); /* "caf" + whole 2-byte characters */
    /* a click elsewhere drops the focus */
    memset(&in, 0, sizeof in);
    in.mx = 500;
    in.my = 500;
    in.pressed[0] = true;
    draw_clear(d);
    ui_begin(&ui, &in);
    ui_textbox(&ui, "box", buf, sizeof buf, 0, 0, 200, "hint");
    ui_end(&ui);
    CHECK(ui.focus == 0);
    free(d);
}

TEST(ui_panels_claim_the_mouse)
{
    DrawList *d = malloc(sizeof *d);
    CHECK(d);
    Ui ui;
    ui_init(&ui, d, fixed_width, NULL, 16);
    UiInput in = {0};
    draw_clear(d);
    ui_begin(&ui, &in);
    ui_panel_begin(&ui, 100, 100, 200);
    ui_label(&ui, "one", 0);
    ui_label(&ui, "two", 0);
    float h = ui_panel_end(&ui);
    ui_end(&ui);
    CHECK(h > 30);
    CHECK(ui_over(&ui, 150, 110));
    CHECK(!ui_over(&ui, 50, 110));
    CHECK(!ui_over(&ui, 150, 100 + h + 1));
    CHECK(d->cmds[0].kind == DRAW_RECT && d->cmds[0].h == h); /* background sized at the end */
    free(d);
}
