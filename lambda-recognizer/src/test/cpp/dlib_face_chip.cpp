// dlib's own face chip cutter, as Python face_recognition runs it (compute_face_descriptor):
// get_face_chip_details(shape, 150, 0.25) on a 5-point full_object_detection, then
// extract_image_chips with its default bilinear interpolation and image pyramid.
//
// usage: dlib_face_chip IN.rgb WIDTH HEIGHT X0 Y0 X1 Y1 X2 Y2 X3 Y3 X4 Y4 OUT.rgb
// IN.rgb and OUT.rgb are raw interleaved 8-bit RGB rows. Prints the chip's rectangle and angle.
#include <dlib/image_transforms.h>
#include <dlib/image_processing/full_object_detection.h>
#include <dlib/matrix.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

using namespace dlib;

int main(int argc, char** argv)
{
    if (argc != 15)
    {
        std::cerr << "usage: dlib_face_chip IN.rgb WIDTH HEIGHT X0 Y0 ... X4 Y4 OUT.rgb" << std::endl;
        return 2;
    }
    const long w = std::atol(argv[2]);
    const long h = std::atol(argv[3]);
    std::ifstream in(argv[1], std::ios::binary);
    std::vector<unsigned char> raw(w * h * 3);
    if (!in.read(reinterpret_cast<char*>(raw.data()), raw.size()))
    {
        std::cerr << "cannot read " << w << "x" << h << " RGB from " << argv[1] << std::endl;
        return 1;
    }
    matrix<rgb_pixel> img(h, w);
    for (long r = 0; r < h; ++r)
        for (long c = 0; c < w; ++c)
        {
            const unsigned char* p = &raw[(r * w + c) * 3];
            img(r, c) = rgb_pixel(p[0], p[1], p[2]);
        }

    std::vector<point> parts;
    for (int i = 0; i < 5; ++i)
        parts.push_back(point(std::atol(argv[4 + 2 * i]), std::atol(argv[5 + 2 * i])));
    full_object_detection face(rectangle(), parts);

    std::vector<chip_details> dets;
    dets.push_back(get_face_chip_details(face, 150, 0.25));
    dlib::array<matrix<rgb_pixel>> chips;
    extract_image_chips(img, dets, chips);

    std::ofstream out(argv[14], std::ios::binary);
    const matrix<rgb_pixel>& chip = chips[0];
    for (long r = 0; r < chip.nr(); ++r)
        for (long c = 0; c < chip.nc(); ++c)
        {
            const rgb_pixel& p = chip(r, c);
            out.put(p.red).put(p.green).put(p.blue);
        }
    std::printf("%.17g %.17g %.17g %.17g %.17g\n", dets[0].rect.left(), dets[0].rect.top(),
                dets[0].rect.right(), dets[0].rect.bottom(), dets[0].angle);
    return out ? 0 : 1;
}
