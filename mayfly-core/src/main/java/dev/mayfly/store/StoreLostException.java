package dev.mayfly.store;

import dev.mayfly.errors.MayflyException;

/** The store's file was deleted or replaced while Mayfly was using it: nothing more can be recorded. */
public final class StoreLostException extends MayflyException {

    public StoreLostException(String message) {
        super(message);
    }
}
