/* SDL window and frame upload (see window.h). Main thread only. */
#include "render/window.h"
#include <SDL.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool load_fonts(Win *w, int ui_px, int label_px, Err *e)
{
    Font ui, label;
    if (!font_load(&ui, w->font_path, (int)((float)ui_px * w->scale + 0.5f), e))
        return false;
    if (!font_load(&label, w->font_path, (int)((float)label_px * w->scale + 0.5f), e)) {
        font_deinit(&ui);
        return false;
    }
    font_deinit(&w->ui_font);
    font_deinit(&w->label_font);
    w->ui_font = ui;
    w->label_font = label;
    w->label_px = label_px;
    w->canvas.fonts[0] = &w->ui_font;
    w->canvas.fonts[1] = &w->label_font;
    return true;
}

bool win_create(Win *w, const WinDesc *d, Err *e)
{
    memset(w, 0, sizeof *w);
    if (d->font_path) {
        if (strlen(d->font_path) >= sizeof w->font_path)
            return err_set(e, "--font: path too long");
        strcpy(w->font_path, d->font_path);
    } else if (!font_find("DejaVu Sans", w->font_path, sizeof w->font_path, e)) {
        return false;
    }
    /* Without a GPU the software renderer plus one streaming texture is the fast path; a
     * named driver (--renderer opengl) only changes how that texture reaches the screen. */
    if (!d->renderer) {
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
    } else {
        SDL_SetHint(SDL_HINT_RENDER_DRIVER, d->renderer);
    }
    SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0");
    if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0)
        return err_set(e, "SDL: cannot initialise video: %s", SDL_GetError());
    if (TTF_Init() != 0) {
        err_set(e, "SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    w->window = SDL_CreateWindow(d->title ? d->title : "embedscope", SDL_WINDOWPOS_CENTERED,
                                 SDL_WINDOWPOS_CENTERED, d->width ? d->width : 1280,
                                 d->height ? d->height : 800,
                                 SDL_WINDOW_RESIZABLE | SDL_WINDOW_ALLOW_HIGHDPI);
    if (!w->window) {
        err_set(e, "SDL: cannot open a window: %s", SDL_GetError());
        goto fail;
    }
    w->renderer = SDL_CreateRenderer(w->window, -1, d->renderer ? 0 : SDL_RENDERER_SOFTWARE);
    SDL_RendererInfo info;
    if (w->renderer && d->renderer &&
        (SDL_GetRendererInfo(w->renderer, &info) != 0 || strcmp(info.name, d->renderer))) {
        SDL_DestroyRenderer(w->renderer);
        w->renderer = NULL;
        SDL_SetError("driver '%s' is not available here", d->renderer);
    }
    if (!w->renderer) {
        err_set(e, "SDL: cannot create the %s renderer: %s", d->renderer ? d->renderer : "software",
                SDL_GetError());
        goto fail;
    }
    int ww, wh, ow, oh;
    SDL_GetWindowSize(w->window, &ww, &wh);
    SDL_GetRendererOutputSize(w->renderer, &ow, &oh);
    w->scale = ww > 0 ? (float)ow / (float)ww : 1.f;
    if (w->scale < 1.f)
        w->scale = 1.f;
    if (!load_fonts(w, d->ui_px ? d->ui_px : 14, d->label_px ? d->label_px : 12, e))
        goto fail;
    SDL_StartTextInput();
    return true;
fail:
    win_destroy(w);
    return false;
}

bool win_set_label_px(Win *w, int px, Err *e)
{
    return load_fonts(w, w->ui_font.px ? (int)((float)w->ui_font.px / w->scale + 0.5f) : 14, px, e);
}

void win_destroy(Win *w)
{
    font_deinit(&w->ui_font);
    font_deinit(&w->label_font);
    if (w->texture)
        SDL_DestroyTexture(w->texture);
    if (w->renderer)
        SDL_DestroyRenderer(w->renderer);
    if (w->window)
        SDL_DestroyWindow(w->window);
    free(w->pixels);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    memset(w, 0, sizeof *w);
}

Canvas *win_begin(Win *w)
{
    int ow, oh;
    SDL_GetRendererOutputSize(w->renderer, &ow, &oh);
    if (ow < 1)
        ow = 1;
    if (oh < 1)
        oh = 1;
    if (ow != w->tex_w || oh != w->tex_h || !w->texture) {
        SDL_Texture *t = SDL_CreateTexture(w->renderer, SDL_PIXELFORMAT_ARGB8888,
                                           SDL_TEXTUREACCESS_STREAMING, ow, oh);
        uint32_t *px = malloc((size_t)ow * (size_t)oh * sizeof *px);
        if (!t || !px) {
            /* Keep drawing into the old buffer; the next frame tries again. */
            if (t)
                SDL_DestroyTexture(t);
            free(px);
        } else {
            if (w->texture)
                SDL_DestroyTexture(w->texture);
            free(w->pixels);
            w->texture = t;
            w->pixels = px;
            w->tex_w = ow;
            w->tex_h = oh;
        }
        int ww, wh;
        SDL_GetWindowSize(w->window, &ww, &wh);
        w->scale = ww > 0 && (float)w->tex_w / (float)ww >= 1.f ? (float)w->tex_w / (float)ww : 1.f;
    }
    w->canvas.px = w->pixels;
    w->canvas.w = w->tex_w;
    w->canvas.h = w->tex_h;
    w->canvas.pitch = w->tex_w;
    canvas_clip(&w->canvas, 0, 0, -1, -1);
    return &w->canvas;
}

void win_present(Win *w)
{
    if (!w->texture)
        return;
    SDL_UpdateTexture(w->texture, NULL, w->pixels, w->tex_w * (int)sizeof(uint32_t));
    SDL_RenderCopy(w->renderer, w->texture, NULL, NULL);
    SDL_RenderPresent(w->renderer);
}

bool win_screenshot(const Win *w, const char *path, Err *e)
{
    if (!w->pixels)
        return err_set(e, "%s: nothing drawn yet", path);
    return win_save_png(w->pixels, w->tex_w, w->tex_h, w->tex_w, path, e);
}

bool win_set_scale(Win *w, float scale, Err *e)
{
    int ui_px = w->ui_font.px ? (int)((float)w->ui_font.px / w->scale + 0.5f) : 14;
    int label_px = w->label_px ? w->label_px : 12;
    float old = w->scale;
    w->scale = scale;
    if (load_fonts(w, ui_px, label_px, e))
        return true;
    w->scale = old;
    Err ignored;
    (void)load_fonts(w, ui_px, label_px, &ignored);
    return false;
}

bool win_save_png(const uint32_t *px, int width, int height, int pitch, const char *path, Err *e)
{
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormatFrom((void *)px, width, height, 32, pitch * 4,
                                                        SDL_PIXELFORMAT_XRGB8888);
    if (!s)
        return err_set(e, "%s: %s", path, SDL_GetError());
    char tmp[1100];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp%d", path, (int)getpid());
    bool ok = n > 0 && (size_t)n < sizeof tmp;
    if (!ok)
        err_set(e, "%s: path too long", path);
    else if (IMG_SavePNG(s, tmp) != 0)
        ok = err_set(e, "%s: cannot write PNG: %s", path, IMG_GetError());
    else if (rename(tmp, path) != 0)
        ok = err_set(e, "%s: cannot rename the PNG into place", path);
    if (!ok && n > 0)
        remove(tmp);
    SDL_FreeSurface(s);
    return ok;
}
