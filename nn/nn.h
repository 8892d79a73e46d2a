#pragma once
// nn: what networks are built from, on top of the autograd engine.
