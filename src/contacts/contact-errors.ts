import { AppError } from '../http/app-error';

export function contactNotFound(id: string): AppError {
  return new AppError('contact-not-found', `No contact has the id ${id}.`, { status: 404 });
}

/** A read of a merged contact: where it lives on (clients that follow redirects land on the survivor). */
export function contactMovedTo(id: string, survivorId: string): AppError {
  return new AppError('contact-merged', `The contact ${id} was merged into ${survivorId}.`, {
    status: 301,
    headers: { Location: `/contacts/${survivorId}` },
    details: { mergedInto: survivorId },
  });
}

/** A write to (or a merge of) a merged contact: it is the survivor that lives on. */
export function contactMerged(id: string, survivorId: string): AppError {
  return new AppError('contact-merged', `The contact ${id} was merged into ${survivorId}; change that one instead.`, {
    status: 409,
    details: { mergedInto: survivorId },
  });
}

export function mergeInProgress(ids: string[]): AppError {
  return new AppError('merge-in-progress', `A merge involving ${ids.join(', ')} is running; retry once it is done.`, {
    status: 409,
    details: { contactIds: ids },
  });
}

/** A merge that an instance crashed in is completed by the next recovery pass (every few seconds). */
export function mergeBeingCompleted(id: string): AppError {
  return new AppError('busy', `A merge involving ${id} is being completed; retry in a few seconds.`, {
    status: 503,
    headers: { 'Retry-After': '5' },
  });
}
