/* Camera math (see cam.h). UI thread. */
#include "render/cam.h"
#include <math.h>

#define CAM_MIN_DIST 1e-4f
#define CAM_MAX_DIST 1e6f

void cam_init(Cam *c, int vw, int vh)
{
    c->rot = glms_quat_identity();
    c->target = glms_vec3_zero();
    c->dist = 3.f;
    c->fovy = glm_rad(45.f);
    c->two_d = false;
    c->home_target = c->target;
    c->home_dist = c->dist;
    c->home_rot = glms_quat_mul(glms_quatv(glm_rad(18.f), (vec3s){{1, 0, 0}}),
                                glms_quatv(glm_rad(-28.f), (vec3s){{0, 1, 0}}));
    cam_viewport(c, vw, vh);
}

void cam_viewport(Cam *c, int vw, int vh)
{
    c->vw = vw > 1 ? vw : 1;
    c->vh = vh > 1 ? vh : 1;
}

/* The distance at which a sphere of radius fills a framed area whose narrower side is side
 * pixels: the half-field of view of that side (tan scales with its share of the height). */
static float fit_dist(const Cam *c, float radius, float side)
{
    float half = c->fovy * 0.5f, share = side / (float)c->vh;
    float fit = share < 1.f ? atanf(tanf(half) * share) : half;
    float d = radius / sinf(fit) * 1.05f;
    return d > CAM_MIN_DIST ? d : CAM_MIN_DIST;
}

/* The window's narrower side: what the sphere must fit in a whole-window framing. */
static float window_side(const Cam *c) { return (float)(c->vw < c->vh ? c->vw : c->vh); }

void cam_home(Cam *c, vec3s centre, float radius)
{
    c->home_target = centre;
    c->home_dist = fit_dist(c, radius > 1e-6f ? radius : 1.f, window_side(c));
    cam_reset(c);
}

void cam_reset(Cam *c)
{
    c->rot = c->home_rot;
    c->target = c->home_target;
    c->dist = c->home_dist;
}

void cam_set_2d(Cam *c, bool two_d) { c->two_d = two_d; }

vec3s cam_right(const Cam *c)
{
    if (c->two_d)
        return (vec3s){{1, 0, 0}};
    return glms_quat_rotatev(glms_quat_inv(c->rot), (vec3s){{1, 0, 0}});
}

vec3s cam_up(const Cam *c)
{
    if (c->two_d)
        return (vec3s){{0, 1, 0}};
    return glms_quat_rotatev(glms_quat_inv(c->rot), (vec3s){{0, 1, 0}});
}

/* Screen point on the unit arcball sphere (view space). */
static vec3s ball(const Cam *c, float x, float y)
{
    float s = (float)(c->vw < c->vh ? c->vw : c->vh);
    vec3s v = {{(2.f * x - (float)c->vw) / s, ((float)c->vh - 2.f * y) / s, 0.f}};
    float d = v.x * v.x + v.y * v.y;
    if (d <= 1.f)
        v.z = sqrtf(1.f - d);
    else
        v = glms_vec3_scale(v, 1.f / sqrtf(d));
    return v;
}

void cam_orbit(Cam *c, float x0, float y0, float x1, float y1)
{
    if (c->two_d || (x0 == x1 && y0 == y1))
        return;
    vec3s a = ball(c, x0, y0), b = ball(c, x1, y1);
    versors q = glms_quat_from_vecs(a, b);
    c->rot = glms_quat_normalize(glms_quat_mul(q, c->rot));
}

/* World units per pixel on the focal plane. */
static float world_per_px(const Cam *c)
{
    return 2.f * c->dist * tanf(c->fovy * 0.5f) / (float)c->vh;
}

void cam_pan(Cam *c, float dx, float dy)
{
    float k = world_per_px(c);
    vec3s r = cam_right(c), u = cam_up(c);
    c->target = glms_vec3_sub(c->target, glms_vec3_scale(r, dx * k));
    c->target = glms_vec3_add(c->target, glms_vec3_scale(u, dy * k));
}

vec3s cam_unproject_focal(const Cam *c, float sx, float sy)
{
    float k = world_per_px(c);
    float ox = (sx - (float)c->vw * 0.5f) * k, oy = ((float)c->vh * 0.5f - sy) * k;
    vec3s p = glms_vec3_add(c->target, glms_vec3_scale(cam_right(c), ox));
    return glms_vec3_add(p, glms_vec3_scale(cam_up(c), oy));
}

void cam_zoom_at(Cam *c, float factor, float mx, float my)
{
    if (!(factor > 0.f) || !isfinite(factor))
        return;
    float nd = c->dist * factor;
    if (nd < CAM_MIN_DIST || nd > CAM_MAX_DIST)
        return;
    vec3s p = cam_unproject_focal(c, mx, my);
    c->target = glms_vec3_add(p, glms_vec3_scale(glms_vec3_sub(c->target, p), factor));
    c->dist = nd;
}

void cam_fit(Cam *c, vec3s centre, float radius)
{
    c->target = centre;
    c->dist = fit_dist(c, radius > 1e-6f ? radius : 1e-3f, window_side(c));
}

void cam_fit_rect(Cam *c, vec3s centre, float radius, float x, float y, float w, float h)
{
    if (!(w > 0.f && h > 0.f)) {
        cam_fit(c, centre, radius);
        return;
    }
    float vw = (float)c->vw, vh = (float)c->vh;
    c->dist = fit_dist(c, radius > 1e-6f ? radius : 1e-3f, fminf(w, h));
    /* centre lies on the focal plane, so it is drawn where that plane's point at the
     * rectangle's centre would be: the target moves by the same offset the other way */
    float k = world_per_px(c), ox = (x + w * 0.5f - vw * 0.5f) * k, oy = (vh * 0.5f - (y + h * 0.5f)) * k;
    c->target = glms_vec3_sub(centre, glms_vec3_add(glms_vec3_scale(cam_right(c), ox),
                                                    glms_vec3_scale(cam_up(c), oy)));
}

mat4s cam_matrix(const Cam *c)
{
    float aspect = (float)c->vw / (float)c->vh;
    if (c->two_d) {
        float hh = c->dist * tanf(c->fovy * 0.5f), hw = hh * aspect;
        mat4s proj = glms_ortho(-hw, hw, -hh, hh, -1e6f, 1e6f);
        mat4s view = glms_translate_make(glms_vec3_negate(c->target));
        return glms_mat4_mul(proj, view);
    }
    mat4s proj = glms_perspective(c->fovy, aspect, c->dist * 0.01f, c->dist * 100.f);
    mat4s view = glms_translate_make((vec3s){{0, 0, -c->dist}});
    view = glms_mat4_mul(view, glms_quat_mat4(c->rot));
    view = glms_mat4_mul(view, glms_translate_make(glms_vec3_negate(c->target)));
    return glms_mat4_mul(proj, view);
}

bool cam_project(const Cam *c, vec3s p, float *sx, float *sy, float *depth)
{
    mat4s m = cam_matrix(c);
    vec4s q = glms_mat4_mulv(m, (vec4s){{p.x, p.y, p.z, 1.f}});
    if (q.w <= 1e-6f)
        return false;
    *sx = (q.x / q.w * 0.5f + 0.5f) * (float)c->vw;
    /* clip y is up; SDL's is down */
    *sy = (0.5f - q.y / q.w * 0.5f) * (float)c->vh;
    if (depth)
        *depth = q.w;
    return true;
}
