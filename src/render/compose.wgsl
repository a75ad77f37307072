// Composes the screen from up to two finished page layers: a cut, a fade or a
// slide between them, the panel's rotation and the burn-in shift. Every pixel
// is read with textureLoad at whole coordinates, so a plain copy is exact.
// Layers are read as raw sRGB bytes and the target is written as raw sRGB
// bytes (non-sRGB views), so a copy converts nothing and a fade mixes sRGB
// values, as a viewer expects of a cross-fade.

struct Params {
    // The layers' (logical) size in pixels.
    logical: vec2<i32>,
    // The burn-in shift of the whole frame, in target pixels.
    shift: vec2<i32>,
    // 0 cut (show `to`), 1 fade, 2 slide: `Blend::kind` in compose.rs.
    kind: u32,
    // 0 to 1; slide progress is already eased.
    progress: f32,
    // 0, 90, 180 or 270.
    rotation: u32,
    // 1 when the target view is sRGB (it encodes on store: decode here).
    decode: u32,
    // Brightness: the sRGB value of every pixel is multiplied by it.
    level: f32,
};

@group(0) @binding(0) var from_layer: texture_2d<f32>;
@group(0) @binding(1) var to_layer: texture_2d<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@vertex
fn vs_main(@builtin(vertex_index) i: u32) -> @builtin(position) vec4<f32> {
    let x = f32(i32(i) / 2) * 4.0 - 1.0;
    let y = f32(i32(i) % 2) * 4.0 - 1.0;
    return vec4<f32>(x, y, 0.0, 1.0);
}

fn to_linear(c: vec3<f32>) -> vec3<f32> {
    let lo = c / 12.92;
    let hi = pow((c + 0.055) / 1.055, vec3<f32>(2.4));
    return select(hi, lo, c <= vec3<f32>(0.04045));
}

// Maps a target pixel to the logical pixel it shows (rotation undone).
fn logical_of(p: vec2<i32>) -> vec2<i32> {
    let w = params.logical.x;
    let h = params.logical.y;
    switch params.rotation {
        // The panel is turned clockwise: its top edge is on the viewer's right.
        case 90u: { return vec2<i32>(w - 1 - p.y, p.x); }
        case 180u: { return vec2<i32>(w - 1 - p.x, h - 1 - p.y); }
        case 270u: { return vec2<i32>(p.y, h - 1 - p.x); }
        default: { return p; }
    }
}

// The sRGB colour of logical pixel `q`.
fn page_pixel(q: vec2<i32>) -> vec3<f32> {
    if params.kind == 1u {
        let a = textureLoad(from_layer, q, 0).rgb;
        let b = textureLoad(to_layer, q, 0).rgb;
        return mix(a, b, params.progress);
    }
    if params.kind == 2u {
        let shift = i32(round(f32(params.logical.x) * params.progress));
        let x = q.x + shift;
        if x < params.logical.x {
            return textureLoad(from_layer, vec2<i32>(x, q.y), 0).rgb;
        }
        return textureLoad(to_layer, vec2<i32>(x - params.logical.x, q.y), 0).rgb;
    }
    return textureLoad(to_layer, q, 0).rgb;
}

@fragment
fn fs_main(@builtin(position) pos: vec4<f32>) -> @location(0) vec4<f32> {
    let q = logical_of(vec2<i32>(floor(pos.xy)) - params.shift);
    var c = vec3<f32>(0.0);
    if all(q >= vec2<i32>(0)) && all(q < params.logical) {
        c = page_pixel(q) * params.level;
    }
    if params.decode == 1u {
        c = to_linear(c);
    }
    return vec4<f32>(c, 1.0);
}
