import random, sys
W, H = int(sys.argv[1]), int(sys.argv[2])
random.seed(7)
cols = ['#e8d5b0', '#d9c29a', '#cdb487', '#bfa376', '#e2caa0', '#c9ad7e']
print("fill '#f9d77e' circle %d %d %d %d" % (W*0.72, H*0.26, W*0.72, H*0.26 + min(W,H)*0.08))
row_h = min(W, H) * 0.075
rows = 8
base = H
top = base - rows * row_h
print("fill '#8c7458' stroke none polygon %d,%d %d,%d %d,%d" % (W*0.485, top + row_h*0.3, W*0.50, top - row_h*2.0, W*0.515, top + row_h*0.3))
for r in reversed(range(rows)):
    y1 = base - (r + 1) * row_h
    x = random.uniform(-60, 0)
    while x < W:
        w = random.uniform(row_h * 1.0, row_h * 2.4)
        if abs(x + w / 2 - W / 2) < W * (0.58 - r * 0.065):
            c = random.choice(cols)
            print("fill '%s' stroke '#8c7458' stroke-width 2 rectangle %d,%d %d,%d" % (c, x, y1, x + w, y1 + row_h * 1.25))
            if random.random() < 0.8:
                dw = w * random.uniform(0.15, 0.3)
                dx = x + random.uniform(0.15, 0.6) * w
                print("fill '#5a4634' stroke none roundrectangle %d,%d %d,%d %d,%d" % (dx, y1 + row_h * 0.3, dx + dw, y1 + row_h * 0.9, dw/2, dw/2))
        x += w + random.uniform(-4, 6)
