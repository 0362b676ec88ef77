package dev.mayfly.cli;

import java.util.concurrent.Callable;

/** One of mayfly's commands: what it accepts, and what it does once its arguments are in. */
interface Subcommand extends Callable<Integer> {

    /** Its name, description, options and parameters, each with where its value goes in this command. */
    CommandSpec spec();
}
