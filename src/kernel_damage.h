#ifndef PB_KERNEL_DAMAGE_H
#define PB_KERNEL_DAMAGE_H

#include <stdbool.h>

/*
 * Whether the virtio-gpu of a kernel release sends the host the whole frame
 * for every update of a plane, whatever damage it is given.
 *
 * From 6.8 (and up to at least 7.3), virtio-gpu's plane atomic_check sets
 * ignore_damage_clips when the framebuffer changes, and nothing clears it
 * again: the plane state is copied whole into the next one. After the first
 * framebuffer change (the console's, at boot) every DIRTYFB and every
 * FB_DAMAGE_CLIPS is turned into a whole frame. The guest cannot observe
 * the flag, so the kernel's version decides; a module built out of tree
 * (the fixed one, modules/virtio-gpu-damage-fix) is trusted to be fixed.
 * Releases from 6.4 to 6.7 with a stable backport may be affected too; no
 * such kernel was measured, so they count as unaffected.
 */
bool pb_kernel_sends_whole_frames(const char *release, bool module_out_of_tree);

#endif
