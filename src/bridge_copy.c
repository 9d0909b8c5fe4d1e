#include <drm_fourcc.h>
#include <wlr/render/pixman.h>
#include <wlr/render/wlr_texture.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>

#include "bridge_internal.h"
#include "copy_cpu.h"

/*
 * The direct path: the scene commits a full-screen client's own buffer
 * instead of composing a frame, and its pixels are copied straight into the
 * linear buffer. Only buffers that wlroots' pixman renderer reads in place:
 * it keeps them from the client (unreleased) while the surface shows them,
 * so they cannot change under the copy; the GL renderer releases shm
 * buffers once uploaded. NULL when the buffer cannot be copied directly.
 */
struct wlr_buffer *pb_bridge_direct_source(
        const struct pb_bridge_output *output, struct wlr_buffer *buffer)
{
	struct wlr_client_buffer *client = wlr_client_buffer_get(buffer);
	if (!client || !output->backend->options.direct_copy || !client->source ||
	        !client->texture || !wlr_texture_is_pixman(client->texture)) {
		return NULL;
	}
	void *data = NULL;
	uint32_t format = 0;
	size_t stride = 0;
	if (!wlr_buffer_begin_data_ptr_access(
	            client->source, WLR_BUFFER_DATA_PTR_ACCESS_READ, &data, &format, &stride)) {
		return NULL;
	}
	wlr_buffer_end_data_ptr_access(client->source);
	/* Composed over black, premultiplied ARGB shows its RGB bytes unchanged. */
	return format == DRM_FORMAT_XRGB8888 || format == DRM_FORMAT_ARGB8888 ? client->source
	                                                                      : NULL;
}

static bool copy_cpu(
        struct pb_bridge_output *output, struct wlr_buffer *frame, struct pb_slot *slot)
{
	/* A client's buffer passed pb_bridge_direct_source() in this commit's test. */
	struct wlr_client_buffer *client = wlr_client_buffer_get(frame);
	struct wlr_buffer *pixels = client ? client->source : frame;
	void *data = NULL;
	uint32_t format = 0;
	size_t stride = 0;
	if (!pixels || !wlr_buffer_begin_data_ptr_access(
	                       pixels, WLR_BUFFER_DATA_PTR_ACCESS_READ, &data, &format, &stride)) {
		wlr_log(WLR_ERROR, "%s: the frame cannot be read by the CPU", output->base.name);
		return false;
	}
	pb_copy_region_cpu(
	        slot->linear.map, slot->linear.layout.stride, data, stride, &output->copy_region);
	wlr_buffer_end_data_ptr_access(pixels);
	output->stats.cpu_copied_px += pb_region_area(&output->copy_region);
	return true;
}

/*
 * The read-back path: the render device's renderer reads each rectangle of
 * the copy region back into the linear buffer's mapping. Only the damage,
 * where mutter's CPU copy takes whole frames.
 */
static bool copy_read_back(
        struct pb_bridge_output *output, struct wlr_buffer *frame, struct pb_slot *slot)
{
	struct wlr_texture *texture =
	        pb_gpu_source_texture(output->backend->renderer, &output->gpu_sources, frame);
	if (!texture) {
		return false;
	}
	bool ok = true;
	int n = 0;
	const pixman_box32_t *boxes = pixman_region32_rectangles(&output->copy_region, &n);
	for (int i = 0; i < n && ok; i++) {
		const pixman_box32_t *b = &boxes[i];
		ok = wlr_texture_read_pixels(
		        texture, &(struct wlr_texture_read_pixels_options){
		                         .data = slot->linear.map,
		                         .format = DRM_FORMAT_XRGB8888,
		                         .stride = slot->linear.layout.stride,
		                         .dst_x = (uint32_t)b->x1,
		                         .dst_y = (uint32_t)b->y1,
		                         .src_box = {b->x1, b->y1, b->x2 - b->x1, b->y2 - b->y1},
		                 });
	}
	if (ok) {
		output->stats.cpu_copied_px += pb_region_area(&output->copy_region);
	}
	return ok;
}

bool pb_bridge_copy_frame(
        struct pb_bridge_output *output, struct wlr_buffer *frame, struct pb_slot *slot, int *fence)
{
	*fence = -1;
	if (output->copy_path == PB_COPY_GPU) {
		*fence = pb_copy_region_gpu(&output->backend->gpu, &output->gpu_sources, frame,
		        &slot->target, &output->copy_region);
		if (*fence < 0) {
			wlr_log(WLR_ERROR, "%s: the render device could not copy the frame",
			        output->base.name);
			output->stats.fallbacks++;
			return false;
		}
	} else if (!(output->copy_path == PB_COPY_READBACK ? copy_read_back(output, frame, slot)
	                                                   : copy_cpu(output, frame, slot))) {
		output->stats.fallbacks++;
		return false;
	}
	return true;
}
