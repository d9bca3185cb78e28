import random, sys
W, H = int(sys.argv[1]), int(sys.argv[2])
random.seed(11)
cols = ['#ffc62e', '#4fb3bf', '#ef6f6c', '#8fc460', '#f3f0e8', '#9b8fd6', '#f49e4c']
s = min(W, H)
n = 7 if W > H else 5
rows = 1 if W > H else 2
for row in range(rows):
    count = n if row == 0 else n - 1
    y = H * (0.62 if rows == 1 else (0.48 + row * 0.30))
    scale = 1.0 - row * 0.0
    for i in range(count):
        cx = W * (i + 0.5 + (0.5 if row else 0)) / (n + (0 if row == 0 else 0)) if rows == 2 else W * (i + 0.5) / count
        if rows == 2 and row == 1:
            cx = W * (i + 1) / n
        c = random.choice(cols)
        head = s * 0.055 * scale
        body_w = s * 0.15 * scale
        body_h = s * 0.22 * scale
        jitter = random.uniform(-s*0.02, s*0.02)
        yy = y + jitter
        print("fill '%s' stroke none roundrectangle %d,%d %d,%d %d,%d" % (c, cx - body_w/2, yy, cx + body_w/2, yy + body_h, body_w/2.2, body_w/2.2))
        print("fill '%s' stroke none circle %d,%d %d,%d" % (c, cx, yy - head*1.35, cx + head, yy - head*1.35))
# speech bubbles: conversation, help at the desk
for i in range(3):
    bx = W * (0.2 + 0.3 * i); by = H * (0.18 if W > H else 0.2) + (i % 2) * s * 0.05
    bw = s * 0.16; bh = s * 0.09
    print("fill '#ffffff' stroke none roundrectangle %d,%d %d,%d %d,%d" % (bx, by, bx + bw, by + bh, bh/2.5, bh/2.5))
    print("fill '#ffffff' stroke none polygon %d,%d %d,%d %d,%d" % (bx + bw*0.2, by + bh*0.9, bx + bw*0.45, by + bh*0.9, bx + bw*0.15, by + bh*1.4))
    for d in range(3):
        print("fill '#1b3a5c' circle %d,%d %d,%d" % (bx + bw*(0.3 + 0.2*d), by + bh/2, bx + bw*(0.3 + 0.2*d) + bh*0.09, by + bh/2))
