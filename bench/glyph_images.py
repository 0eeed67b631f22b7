"""glyph_images: a 28 x 28 grey-scale image set of rendered digits, the shape of MNIST (784 pixel
features, 10 classes, most pixels 0), made on the machine because no real image set of that kind
ships with Debian.

Each image is one digit 0-9 drawn in one of the DejaVu fonts (sans, serif, mono, condensed; plain,
bold, oblique), at a random size, rotated by up to 20 degrees, shifted, stretched, blurred a
little, with speckle noise; pixel values 0-255 as float32. Deterministic for a seed.
"""

import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FONTS = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
         "DejaVuSans-BoldOblique.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
         "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSerif.ttf",
         "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf", "DejaVuSerifCondensed.ttf",
         "DejaVuSans-ExtraLight.ttf"]


def available():
    return all(os.path.exists(os.path.join(FONT_DIR, f)) for f in FONTS)


def make_glyph_images(n_rows, rng):
    fonts = {}
    X = np.zeros((n_rows, 28 * 28), dtype=np.float32)
    y = rng.integers(0, 10, size=n_rows).astype(np.float64)
    for i in range(n_rows):
        name = FONTS[rng.integers(0, len(FONTS))]
        size = int(rng.integers(40, 64))
        key = (name, size)
        if key not in fonts:
            fonts[key] = ImageFont.truetype(os.path.join(FONT_DIR, name), size)
        canvas = Image.new("L", (84, 84), 0)
        ImageDraw.Draw(canvas).text((42, 42), str(int(y[i])), fill=255, font=fonts[key],
                                    anchor="mm")
        canvas = canvas.rotate(float(rng.uniform(-20, 20)), resample=Image.BILINEAR,
                               translate=(float(rng.uniform(-6, 6)), float(rng.uniform(-6, 6))))
        width = int(84 * rng.uniform(0.8, 1.2))
        canvas = canvas.resize((width, 84), resample=Image.BILINEAR)
        canvas = canvas.crop(((width - 84) // 2, 0, (width - 84) // 2 + 84, 84))
        canvas = canvas.filter(ImageFilter.GaussianBlur(float(rng.uniform(0.0, 1.2))))
        pixels = np.asarray(canvas.resize((28, 28), resample=Image.BILINEAR), dtype=np.float32)
        speckle = rng.random(784) < 0.02
        pixels = pixels.reshape(-1)
        pixels[speckle] = rng.integers(0, 256, size=int(speckle.sum()))
        X[i] = pixels
    return X, y
