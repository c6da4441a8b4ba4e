package com.trueftp.files;

import com.trueftp.ftpuser.OwnedFiles;
import dagger.Binds;
import dagger.Module;

/** An FTP user's owned files are its space in the files bucket: deleting the user deletes them. */
@Module
public interface FilesModule {
    @Binds
    OwnedFiles ownedFiles(FileRemover remover);
}
