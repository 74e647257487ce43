// dlib's own face chip cutter and face descriptor network, as Python face_recognition runs them
// (compute_face_descriptor): get_face_chip_details(shape, 150, 0.25) on a 5-point
// full_object_detection, extract_image_chips with its default bilinear interpolation and image
// pyramid, then dlib's ResNet (the network definition of dlib's face recognition example).
//
// usage: dlib_face_chip IN.rgb WIDTH HEIGHT X0 Y0 X1 Y1 X2 Y2 X3 Y3 X4 Y4 OUT.rgb [WEIGHTS.f32]
// IN.rgb and OUT.rgb are raw interleaved 8-bit RGB rows. Prints the chip's rectangle and angle;
// with WEIGHTS.f32 also the chip's 128 descriptor values on a second line. dlib's trained .dat file
// is not available here, so the weights are given: float32, for each of the 29 conv layers from
// the input on, filters (out, in, rows, cols), bias, scale-layer scale and shift (per output
// channel), then the fully connected layer (256 x 128, row-major).
#include <dlib/dnn.h>
#include <algorithm>
#include <dlib/image_transforms.h>
#include <dlib/image_processing/full_object_detection.h>
#include <dlib/matrix.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <vector>

using namespace dlib;

template <template <int,template<typename>class,int,typename> class block, int N, template<typename>class BN, typename SUBNET>
using residual = add_prev1<block<N,BN,1,tag1<SUBNET>>>;

template <template <int,template<typename>class,int,typename> class block, int N, template<typename>class BN, typename SUBNET>
using residual_down = add_prev2<avg_pool<2,2,2,2,skip1<tag2<block<N,BN,2,tag1<SUBNET>>>>>>;

template <int N, template <typename> class BN, int stride, typename SUBNET>
using block  = BN<con<N,3,3,1,1,relu<BN<con<N,3,3,stride,stride,SUBNET>>>>>;

template <int N, typename SUBNET> using ares      = relu<residual<block,N,affine,SUBNET>>;
template <int N, typename SUBNET> using ares_down = relu<residual_down<block,N,affine,SUBNET>>;

template <typename SUBNET> using alevel0 = ares_down<256,SUBNET>;
template <typename SUBNET> using alevel1 = ares<256,ares<256,ares_down<256,SUBNET>>>;
template <typename SUBNET> using alevel2 = ares<128,ares<128,ares_down<128,SUBNET>>>;
template <typename SUBNET> using alevel3 = ares<64,ares<64,ares<64,ares_down<64,SUBNET>>>>;
template <typename SUBNET> using alevel4 = ares<32,ares<32,ares<32,SUBNET>>>;

using anet_type = loss_metric<fc_no_bias<128,avg_pool_everything<
                            alevel0<
                            alevel1<
                            alevel2<
                            alevel3<
                            alevel4<
                            max_pool<3,3,2,2,relu<affine<con<32,7,7,2,2,
                            input_rgb_image_sized<150>
                            >>>>>>>>>>>>;

struct layers_found
{
    std::vector<tensor*> convs;
    std::vector<affine_*> affines;
    tensor* fc = nullptr;
};

template <long N, long NR, long NC, int SY, int SX, int PY, int PX>
void grab(con_<N,NR,NC,SY,SX,PY,PX>& l, layers_found& f) { f.convs.push_back(&l.get_layer_params()); }
void grab(affine_& l, layers_found& f) { f.affines.push_back(&l); }
template <unsigned long N, fc_bias_mode B>
void grab(fc_<N,B>& l, layers_found& f) { f.fc = &l.get_layer_params(); }
template <typename T>
void grab(T&, layers_found&) {}

static bool take(std::ifstream& in, float* dst, size_t n)
{
    return static_cast<bool>(in.read(reinterpret_cast<char*>(dst), n * sizeof(float)));
}

// Runs dlib's network on the chip with the given weights; false when the file does not fit.
static bool describe(const matrix<rgb_pixel>& chip, const char* weights, matrix<float,0,1>& out)
{
    anet_type net;
    net(chip); // sets the layers up (shapes), then their parameters are replaced
    layers_found f;
    visit_computational_layers(net, [&](auto& l) { grab(l, f); });
    // visited from the output down: turn to input-first
    std::reverse(f.convs.begin(), f.convs.end());
    std::reverse(f.affines.begin(), f.affines.end());
    if (f.convs.size() != 29 || f.affines.size() != 29 || f.fc == nullptr)
    {
        std::cerr << "unexpected network: " << f.convs.size() << " convs, " << f.affines.size() << " affines" << std::endl;
        return false;
    }
    std::ifstream in(weights, std::ios::binary);
    for (size_t i = 0; i < f.convs.size(); ++i)
    {
        tensor& p = *f.convs[i];
        if (!take(in, p.host(), p.size()))
            return false;
        // affine layers default to per-element mode (gamma over k x nr x nc): repeat each channel's value
        auto g = f.affines[i]->get_gamma();
        auto b = f.affines[i]->get_beta();
        const long k = g.k(), plane = g.nr() * g.nc();
        std::vector<float> scale(k), shift(k);
        if (!take(in, scale.data(), k) || !take(in, shift.data(), k))
            return false;
        float* gp = g.host();
        float* bp = b.host();
        for (long c = 0; c < k; ++c)
            for (long j = 0; j < plane; ++j)
            {
                gp[c * plane + j] = scale[c];
                bp[c * plane + j] = shift[c];
            }
    }
    if (!take(in, f.fc->host(), f.fc->size()))
        return false;
    char extra;
    if (in.read(&extra, 1))
        return false;
    out = net(chip);
    return true;
}

int main(int argc, char** argv)
{
    if (argc != 15 && argc != 16)
    {
        std::cerr << "usage: dlib_face_chip IN.rgb WIDTH HEIGHT X0 Y0 ... X4 Y4 OUT.rgb [WEIGHTS.f32]" << std::endl;
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
    if (argc == 16)
    {
        matrix<float,0,1> d;
        if (!describe(chip, argv[15], d))
        {
            std::cerr << "weights in " << argv[15] << " do not fit the network" << std::endl;
            return 1;
        }
        for (long i = 0; i < d.size(); ++i)
            std::printf(i == 0 ? "%.9g" : " %.9g", d(i));
        std::printf("\n");
    }
    return out ? 0 : 1;
}
