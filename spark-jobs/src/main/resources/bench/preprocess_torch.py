#!/usr/bin/python3
"""torchvision reference for image preprocessing, measured per core (one thread).

`pretext bench preprocess` runs this next to its own image path in the same
sitting, on the same files and with the same augmentation settings:

  decode    encoded bytes already in memory -> PIL Image.open -> centre crop and
            bilinear resize to size x size (PIL's ImageOps.fit) -> the
            configured channels ("L" or "RGB"): what torchvision's default
            loader and a Resize/CenterCrop give a dataset, in images/s
  augment   SimCLR views of the decoded size x size images: RandomResizedCrop,
            RandomHorizontalFlip, RandomApply(ColorJitter), RandomGrayscale,
            RandomApply(GaussianBlur) only when --blur-kernel > 0, ending in
            float CHW in [0, 1] as Pretext's views do; in views/s, two per image.
            Twice: on PIL images (the usual SimCLR data loader, ToTensor last)
            and on uint8 tensors (converted to float last).

A round cycles through the images until --seconds have passed; one untimed
round first, then --rounds timed ones, median reported. torch.set_num_threads(1).

Prints exactly one JSON line on stdout, e.g.
{"framework": "torchvision", ..., "decodeImagesPerSec": 9120.4, "augmentPilViewsPerSec": 2210.7,
 "augmentTensorViewsPerSec": 1302.5}

Needs torch, torchvision and Pillow:
python3 preprocess_torch.py --files LIST --size 32 --channels 3
where LIST holds one image path per line.
"""

import argparse
import io
import json
import statistics
import sys
import time

import PIL
import torch
import torchvision
from PIL import Image, ImageOps
from torchvision import transforms as T
from torchvision.transforms import functional as TF


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--files", required=True, help="a text file listing one image path per line")
    p.add_argument("--size", type=int, default=32, help="side of decoded images and views")
    p.add_argument("--channels", type=int, choices=(1, 3), default=3)
    p.add_argument("--rounds", type=int, default=5, help="timed rounds")
    p.add_argument("--seconds", type=float, default=1.0, help="length of a round")
    p.add_argument("--crop-scale", type=float, nargs=2, default=(0.08, 1.0))
    p.add_argument("--crop-ratio", type=float, nargs=2, default=(3 / 4, 4 / 3))
    p.add_argument("--flip", type=float, default=0.5, help="horizontal flip probability")
    p.add_argument("--jitter", type=float, default=0.8, help="colour jitter probability")
    p.add_argument("--brightness", type=float, default=0.4)
    p.add_argument("--contrast", type=float, default=0.4)
    p.add_argument("--saturation", type=float, default=0.4)
    p.add_argument("--hue", type=float, default=0.1)
    p.add_argument("--grayscale", type=float, default=0.2, help="grayscale probability")
    p.add_argument("--blur-kernel", type=int, default=0, help="Gaussian blur kernel side; 0 = no blur")
    p.add_argument("--blur", type=float, default=0.5, help="blur probability")
    p.add_argument("--blur-sigma", type=float, nargs=2, default=(0.1, 2.0))
    p.add_argument("--seed", type=int, default=12345)
    a = p.parse_args(argv)
    if a.size < 1 or a.rounds < 1 or a.seconds <= 0:
        p.error(f"--size >= 1, --rounds >= 1 and --seconds > 0 are required, got {a.size}, {a.rounds}, {a.seconds}")
    return a


def rates(work, items, units_per_item, rounds, seconds):
    """Units/s of each timed round; a round applies `work` to items in turn, resuming where the last stopped."""
    position = 0
    out = []
    for r in range(rounds + 1):  # round 0 warms up
        done = 0
        start = time.perf_counter()
        while True:
            work(items[position])
            position = (position + 1) % len(items)
            done += units_per_item
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                break
        if r > 0:
            out.append(done / elapsed)
    return out


def decoder(size, channels):
    mode = "RGB" if channels == 3 else "L"

    def decode(data):
        image = Image.open(io.BytesIO(data))
        if image.mode not in ("L", "RGB"):
            image = image.convert(mode)
        elif channels == 1 and image.mode == "RGB":
            image = image.convert("L")
        image = ImageOps.fit(image, (size, size), method=Image.Resampling.BILINEAR)
        return image if image.mode == mode else image.convert(mode)

    return decode


def augmentation(a, pil):
    steps = [
        T.RandomResizedCrop(a.size, scale=tuple(a.crop_scale), ratio=tuple(a.crop_ratio),
                            interpolation=T.InterpolationMode.BILINEAR),
        T.RandomHorizontalFlip(p=a.flip),
        T.RandomApply([T.ColorJitter(a.brightness, a.contrast, a.saturation, a.hue)], p=a.jitter),
        T.RandomGrayscale(p=a.grayscale),
    ]
    if a.blur_kernel > 0:
        steps.append(T.RandomApply([T.GaussianBlur(a.blur_kernel, sigma=tuple(a.blur_sigma))], p=a.blur))
    steps.append(T.ToTensor() if pil else T.ConvertImageDtype(torch.float32))
    return T.Compose(steps)


def main(argv):
    a = parse_args(argv)
    torch.set_num_threads(1)
    torch.manual_seed(a.seed)
    with open(a.files, encoding="utf-8") as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    if not paths:
        sys.exit(f"no image paths in {a.files}")
    encoded = []
    for path in paths:
        with open(path, "rb") as f:
            encoded.append(f.read())

    decode = decoder(a.size, a.channels)
    decode_rates = rates(decode, encoded, 1, a.rounds, a.seconds)

    images = [decode(data) for data in encoded]                    # PIL, size x size
    tensors = [TF.pil_to_tensor(image) for image in images]        # uint8 [c, size, size]
    pil_aug = augmentation(a, pil=True)
    tensor_aug = augmentation(a, pil=False)

    def two_views(aug):
        def work(image):
            aug(image)
            aug(image)
        return work

    pil_rates = rates(two_views(pil_aug), images, 2, a.rounds, a.seconds)
    tensor_rates = rates(two_views(tensor_aug), tensors, 2, a.rounds, a.seconds)

    print(json.dumps({
        "framework": "torchvision",
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "pillow": PIL.__version__,
        "threads": torch.get_num_threads(),
        "images": len(encoded),
        "size": a.size,
        "channels": a.channels,
        "rounds": a.rounds,
        "seconds": a.seconds,
        "decodeImagesPerSec": round(statistics.median(decode_rates), 1),
        "augmentPilViewsPerSec": round(statistics.median(pil_rates), 1),
        "augmentTensorViewsPerSec": round(statistics.median(tensor_rates), 1),
        "decodeRounds": [round(r, 1) for r in decode_rates],
        "augmentPilRounds": [round(r, 1) for r in pil_rates],
        "augmentTensorRounds": [round(r, 1) for r in tensor_rates],
    }))


if __name__ == "__main__":
    main(sys.argv[1:])
