"""The drawings' one style: colours, stroke widths in skeleton units, and layout constants.

Near-side limbs dark and thick, far-side limbs light grey, a solid head, props in mid grey
with a pale fill, a dashed blue arrow with a solid head (the dashes keep it apart from the
limbs when printed in grey); a cue (a push held still) in the same blue, solid.
"""
from __future__ import annotations

from reportlab.lib import colors

Color = colors.Color

INK = colors.Color(0.10, 0.10, 0.12)          # trunk, head, near-side limbs
FAR_INK = colors.Color(0.63, 0.63, 0.66)      # far-side limbs
FRONT_FAR_INK = colors.Color(0.36, 0.36, 0.39)  # seen from the front both legs show: the far one a little lighter
PROP_LINE = colors.Color(0.32, 0.32, 0.35)
PROP_FILL = colors.Color(0.89, 0.89, 0.91)
PROP_LIGHT = colors.Color(0.96, 0.96, 0.97)
WEIGHT = colors.Color(0.28, 0.28, 0.30)
PARTNER = colors.Color(0.50, 0.50, 0.53)         # a helper's hand and forearm
PARTNER_SLEEVE = colors.Color(0.72, 0.72, 0.75)
BAND = colors.Color(0.40, 0.40, 0.43)
FLOOR_INK = colors.Color(0.38, 0.38, 0.40)
ARROW_INK = colors.Color(0.0, 0.40, 0.76)
WATER_FILL = colors.Color(0.88, 0.93, 0.98)
WATER_LINE = colors.Color(0.30, 0.52, 0.76)
ICE_FILL = colors.Color(0.86, 0.93, 0.99)
ICE_LINE = colors.Color(0.16, 0.42, 0.68)
HEAT_FILL = colors.Color(0.99, 0.87, 0.78)
HEAT_LINE = colors.Color(0.72, 0.30, 0.12)
WOOD = colors.Color(0.55, 0.47, 0.40)          # a bed's frame
WHITE = colors.white

# Widths in skeleton units (scaled with the figure).
NEAR_W = 0.34
FAR_W = 0.30
TRUNK_W = 0.52
PROP_W = 0.08
MIN_PROP_PT = 0.6      # thin prop outlines never go below this many points
FONT = "Helvetica"
PAD = 2.0              # points kept clear inside the box edge
