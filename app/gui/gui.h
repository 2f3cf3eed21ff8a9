/* The explorer window's entry point: `embedscope` with no command, or `embedscope gui`.
 * Parses the window's options, runs the event loop, returns the exit code. Main thread. */
#ifndef EMBEDSCOPE_GUI_H
#define EMBEDSCOPE_GUI_H

int gui_main(int argc, char **argv);

#endif
