/* The scene camera: an arcball-rotated perspective view of a target point (3D) or an
 * orthographic view of the xy plane (2D), with pan, zoom towards the cursor, framing and
 * reset. Plain cglm struct math; owned by the UI thread. Screen coordinates are pixels, y down. */
#ifndef EMBEDSCOPE_CAM_H
#define EMBEDSCOPE_CAM_H
#include <cglm/struct.h>
#include <stdbool.h>

typedef struct Cam {
    versors rot;        /* world -> view rotation (3D only) */
    vec3s target;       /* world point at the centre of the screen */
    float dist;         /* world units from the eye to target; sets the scale in 2D too */
    float fovy;         /* radians */
    bool two_d;
    int vw, vh;         /* viewport, pixels */
    vec3s home_target;  /* what cam_reset returns to */
    float home_dist;
    versors home_rot;
} Cam;

void cam_init(Cam *c, int vw, int vh);
void cam_viewport(Cam *c, int vw, int vh);
/* Remembers centre/radius of the data as the home view (R) and goes there. The home
 * orientation is a slight turn (home_rot) so that depth is visible from the start. */
void cam_home(Cam *c, vec3s centre, float radius);
void cam_reset(Cam *c);
void cam_set_2d(Cam *c, bool two_d);
/* Arcball from screen point (x0,y0) to (x1,y1). No-op in 2D. */
void cam_orbit(Cam *c, float x0, float y0, float x1, float y1);
/* Moves the view so the scene follows the mouse by (dx, dy) pixels. */
void cam_pan(Cam *c, float dx, float dy);
/* Scales the distance by factor (< 1 zooms in) keeping the point under (mx, my) fixed. */
void cam_zoom_at(Cam *c, float factor, float mx, float my);
/* Centres on centre with a sphere of radius filling most of the view. */
void cam_fit(Cam *c, vec3s centre, float radius);
/* The same within the screen rectangle (x, y, w, h) (pixels, y down): centre drawn at its
 * centre, the sphere filling most of its narrower side (the part of the window no panel
 * covers). An empty rectangle: cam_fit. */
void cam_fit_rect(Cam *c, vec3s centre, float radius, float x, float y, float w, float h);
/* View-projection matrix (column-major, OpenGL clip space). */
mat4s cam_matrix(const Cam *c);
/* Screen position of p; false when p is behind the eye. depth is the clip w (distance). */
bool cam_project(const Cam *c, vec3s p, float *sx, float *sy, float *depth);
/* World point under screen (sx, sy) on the plane through target facing the eye. */
vec3s cam_unproject_focal(const Cam *c, float sx, float sy);
/* World-space right and up vectors of the screen. */
vec3s cam_right(const Cam *c);
vec3s cam_up(const Cam *c);

#endif
