// Strokes with round ends, anti-aliased by the distance to the segment.
// Each instance is one segment in pixels; six vertices cover its bounds
// (grown by the half width and one pixel for the soft edge).

struct Screen {
    size: vec2<f32>,
    _pad: vec2<f32>,
};

@group(0) @binding(0) var<uniform> screen: Screen;

struct Instance {
    @location(0) ends: vec4<f32>,
    @location(1) color: vec4<f32>,
    @location(2) width: f32,
};

struct VertexOut {
    @builtin(position) position: vec4<f32>,
    @location(0) pixel: vec2<f32>,
    @location(1) @interpolate(flat) from_to: vec4<f32>,
    @location(2) color: vec4<f32>,
    @location(3) @interpolate(flat) radius: f32,
};

@vertex
fn vs_main(@builtin(vertex_index) index: u32, inst: Instance) -> VertexOut {
    var corners = array<vec2<f32>, 6>(
        vec2(0.0, 0.0), vec2(1.0, 0.0), vec2(0.0, 1.0),
        vec2(0.0, 1.0), vec2(1.0, 0.0), vec2(1.0, 1.0),
    );
    let radius = inst.width * 0.5;
    let low = min(inst.ends.xy, inst.ends.zw) - vec2(radius + 1.0);
    let high = max(inst.ends.xy, inst.ends.zw) + vec2(radius + 1.0);
    let pixel = low + corners[index] * (high - low);
    var out: VertexOut;
    out.position = vec4(pixel.x / screen.size.x * 2.0 - 1.0, 1.0 - pixel.y / screen.size.y * 2.0, 0.0, 1.0);
    out.pixel = pixel;
    out.from_to = inst.ends;
    out.color = inst.color;
    out.radius = radius;
    return out;
}

@fragment
fn fs_main(in: VertexOut) -> @location(0) vec4<f32> {
    let a = in.from_to.xy;
    let ab = in.from_to.zw - a;
    let ap = in.pixel - a;
    let along = clamp(dot(ap, ab) / max(dot(ab, ab), 1e-6), 0.0, 1.0);
    let distance = length(ap - ab * along) - in.radius;
    let coverage = clamp(0.5 - distance, 0.0, 1.0);
    return vec4(in.color.rgb, in.color.a * coverage);
}
